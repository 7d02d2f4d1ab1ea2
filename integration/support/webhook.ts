/** Sending webhooks to the site exactly as PulseTechnologyCRM does (see pulse-crm-api.md). */
import type { StackSite } from '../../dev/src/stack-file';
import { stack } from './stack';

/** The site a webhook goes to: the stack's first unless told (PULSE_STACK_SITES). */
export type WebhookSite = Pick< StackSite, 'siteUrl' | 'accessKey' >;

export type PayloadForm = 'json' | 'form' | 'get';

export interface WebhookAnswer {
	status: number;
	body: Record< string, unknown >;
	headers: Headers;
	ms: number;
}

export function webhookUrl(
	action: string,
	extra: Record< string, string > = {},
	key = stack().accessKey,
	entry = '/',
	siteUrl = stack().siteUrl
): string {
	const query = new URLSearchParams( {
		wpf_action: action,
		access_key: key,
		...extra,
	} );
	return `${ siteUrl }${ entry }?${ query.toString() }`;
}

export async function sendWebhook(
	action: string,
	contactId: number,
	form: PayloadForm = 'form',
	extra: Record< string, string > = {},
	entry = '/',
	site: WebhookSite = stack()
): Promise< WebhookAnswer > {
	let url = webhookUrl( action, extra, site.accessKey, entry, site.siteUrl );
	const init: RequestInit = {
		method: 'POST',
		signal: AbortSignal.timeout( 60000 ),
	};
	if ( form === 'json' ) {
		init.headers = { 'content-type': 'application/json' };
		init.body = JSON.stringify( {
			id: contactId,
			email: 'ignored@example.test',
			first_name: 'Ignored',
		} );
	} else if ( form === 'form' ) {
		init.headers = { 'content-type': 'application/x-www-form-urlencoded' };
		init.body = new URLSearchParams( {
			contact_id: String( contactId ),
		} ).toString();
	} else {
		init.method = 'GET';
		url += `&contact_id=${ contactId }`;
	}
	const started = performance.now();
	const response = await fetch( url, init );
	const text = await response.text();
	let body: Record< string, unknown >;
	try {
		body = JSON.parse( text ) as Record< string, unknown >;
	} catch {
		throw new Error(
			`webhook answered ${ response.status } with a body that is not JSON: ${ text.slice( 0, 200 ) }`
		);
	}
	return {
		status: response.status,
		body,
		headers: response.headers,
		ms: performance.now() - started,
	};
}
