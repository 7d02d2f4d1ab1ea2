/**
 * Demo data for `npm start` (and the starting point of the end-to-end tests): the site comes up
 * already connected to the CRM sandbox, with a field mapping, Return Password on, and sandbox
 * workflows that call the site's webhook URL, so a person can apply a tag in the sandbox and watch
 * a WordPress user appear without any setup.
 */
import { canonicalQuery } from '../../bridge/src/signed-content';
import { Signer } from '../../bridge/src/signature';
import { runPhp } from './wordpress-site';
import type { StackInfo, StackSite } from './stack-file';

export const DEMO_CLIENT = { id: 'pulse-sync-demo', secret: 'demo-secret' };

async function json( url: string, init: RequestInit = {} ): Promise< unknown > {
	const response = await fetch( url, {
		...init,
		headers: {
			'content-type': 'application/json',
			accept: 'application/json',
			...( init.headers ?? {} ),
		},
	} );
	const text = await response.text();
	if ( ! response.ok ) {
		throw new Error(
			`${ init.method ?? 'GET' } ${ url } answered ${ response.status }: ${ text.slice( 0, 300 ) }`
		);
	}
	return text ? JSON.parse( text ) : null;
}

/**
 * A signed call to the bridge, the way the plugin makes it (docs/architecture.md, "Signing"):
 * method, path, query and body signed in the plugin → bridge direction, a fresh webhook-id each.
 */
export async function callBridge(
	info: Pick< StackSite, 'bridgeUrl' | 'bridgeSecret' >,
	method: 'GET' | 'POST',
	route: string,
	body?: unknown
): Promise< unknown > {
	const payload = body === undefined ? '' : JSON.stringify( body );
	const target = new URL( route, 'http://bridge' );
	const query = canonicalQuery( target.searchParams );
	const headers = new Signer( [ info.bridgeSecret ], 'plugin' ).sign( {
		method,
		path: target.pathname,
		query: target.searchParams,
		body: payload,
	} );
	return json(
		`${ info.bridgeUrl }${ target.pathname }${ query ? `?${ query }` : '' }`,
		{
			method,
			body: payload === '' ? undefined : payload,
			headers,
		}
	);
}

interface WebhookRule {
	trigger: string;
	tag_id?: number;
	url: string;
	format: string;
}

function sameRule( a: WebhookRule, b: WebhookRule ): boolean {
	return (
		a.trigger === b.trigger &&
		a.tag_id === b.tag_id &&
		a.url === b.url &&
		a.format === b.format
	);
}

/**
 * Seeds one site of the stack: settings, the CRM connection through its bridge route, and the
 * sandbox's workflows calling its webhook URL (so with several sites a tag reaches each of them).
 * @param info The stack, for the CRM sandbox.
 * @param site The site.
 */
export async function seedDemo(
	info: Pick< StackInfo, 'crmSandboxUrl' >,
	site: StackSite
): Promise< void > {
	runPhp(
		site.wpDir,
		'configure.php',
		{},
		{
			settings: {
				crm_client_id: DEMO_CLIENT.id,
				return_password_enabled: true,
				return_password_field: 'wp_password',
				field_mapping: [
					{ wp: 'user_email', crm: 'email' },
					{ wp: 'first_name', crm: 'first_name' },
					{ wp: 'last_name', crm: 'last_name' },
					{ wp: 'user_login', crm: 'custom_username' },
					{ wp: 'billing_phone', crm: 'phone' },
				],
			},
			options: { pulse_sync_crm_client_secret: DEMO_CLIENT.secret },
		}
	);

	// Connect the bridge as the owner would by clicking Connect and Authorize.
	const redirectUri = `${ site.adminUrl }admin.php?page=pulse-sync&pulse_sync_oauth=callback`;
	const { code } = ( await json(
		`${ info.crmSandboxUrl }/__sandbox/oauth/code`,
		{
			method: 'POST',
			body: JSON.stringify( {
				client_id: DEMO_CLIENT.id,
				redirect_uri: redirectUri,
			} ),
		}
	) ) as { code: string };
	await callBridge( site, 'POST', '/v1/crm/oauth/exchange', {
		code,
		redirect_uri: redirectUri,
	} );

	// The CRM workflows of the product description, once: the sandbox keeps its rules across restarts.
	const hook = ( action: string, extra = '' ) =>
		`${ site.siteUrl }/?wpf_action=${ action }&access_key=${ site.accessKey }${ extra }`;
	const rules: WebhookRule[] = [
		{
			trigger: 'tag_applied',
			tag_id: 1,
			url: hook( 'add', '&send_notification=true' ),
			format: 'json',
		},
		{
			trigger: 'tag_applied',
			tag_id: 3,
			url: hook( 'update_tags' ),
			format: 'form',
		},
		{ trigger: 'contact_updated', url: hook( 'update' ), format: 'get' },
	];
	const { rules: existing } = ( await json(
		`${ info.crmSandboxUrl }/__sandbox/webhooks`
	) ) as { rules: WebhookRule[] };
	for ( const rule of rules ) {
		if ( ! existing.some( ( other ) => sameRule( other, rule ) ) ) {
			await json( `${ info.crmSandboxUrl }/__sandbox/webhooks`, {
				method: 'POST',
				body: JSON.stringify( rule ),
			} );
		}
	}
}
