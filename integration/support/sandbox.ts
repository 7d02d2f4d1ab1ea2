/** The CRM sandbox's control API (crm-sandbox/src/control/routes.ts), for arranging a test. */
import { stack } from './stack';

export async function control< T = unknown >(
	method: string,
	route: string,
	body?: unknown
): Promise< T > {
	const response = await fetch(
		`${ stack().crmSandboxUrl }/__sandbox/${ route }`,
		{
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify( body ),
		}
	);
	const text = await response.text();
	if ( ! response.ok ) {
		throw new Error(
			`sandbox ${ method } ${ route } answered ${ response.status }: ${ text }`
		);
	}
	return ( text ? JSON.parse( text ) : null ) as T;
}

export interface SandboxContact {
	id: number;
	email?: string;
	tags?: Array< { id: number; name: string } >;
	[ field: string ]: unknown;
}

/**
 * New contacts that no earlier test has seen (unique prefix), returned with their ids.
 */
export async function newContacts(
	count: number,
	tagIds: number[] = []
): Promise< number[] > {
	const prefix = `t${ Date.now().toString( 36 ) }${ Math.floor( Math.random() * 1e6 ).toString( 36 ) }`;
	const { ids } = await control< { ids: number[] } >(
		'POST',
		'contacts/bulk',
		{ count, prefix, tag_ids: tagIds }
	);
	return ids;
}

export async function contact( id: number ): Promise< SandboxContact > {
	return control< SandboxContact >( 'GET', `contacts/${ id }` );
}

export async function clearFaults(): Promise< void > {
	await control( 'DELETE', 'faults' );
	await control( 'POST', 'latency', { latency_ms: 0 } );
}

let apiToken: string | null = null;

/**
 * The CRM's own API, used the way a CRM user's other integrations would (to apply a tag, edit a
 * field), with a token of its own obtained through the demo OAuth client.
 */
export async function crmApi(
	method: string,
	path: string,
	form?: Record< string, string >
): Promise< unknown > {
	const base = stack().crmSandboxUrl;
	if ( ! apiToken ) {
		const redirectUri = 'http://127.0.0.1/integration-tests';
		const { code } = await control< { code: string } >(
			'POST',
			'oauth/code',
			{
				client_id: 'pulse-sync-demo',
				redirect_uri: redirectUri,
			}
		);
		const tokenResponse = await fetch( `${ base }/oauth/token`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
			},
			body: new URLSearchParams( {
				grant_type: 'authorization_code',
				code,
				client_id: 'pulse-sync-demo',
				client_secret: 'demo-secret',
				redirect_uri: redirectUri,
			} ).toString(),
		} );
		apiToken = (
			( await tokenResponse.json() ) as { access_token: string }
		 ).access_token;
	}
	const response = await fetch( `${ base }/api/v1/${ path }`, {
		method,
		headers: {
			authorization: `Bearer ${ apiToken }`,
			accept: 'application/json',
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: form ? new URLSearchParams( form ).toString() : undefined,
	} );
	if ( ! response.ok ) {
		throw new Error(
			`CRM API ${ method } ${ path } answered ${ response.status }`
		);
	}
	return response.json();
}

/** Remove the demo workflows so that only what a test sends reaches the site. */
export async function removeWebhookRules(): Promise< void > {
	const listed = await control<
		{ rules?: Array< { id: number } > } | Array< { id: number } >
	>( 'GET', 'webhooks' );
	const rules = Array.isArray( listed ) ? listed : ( listed.rules ?? [] );
	for ( const rule of rules ) {
		await control( 'DELETE', `webhooks/${ rule.id }` );
	}
}
