import { CrmUsageError } from './errors';

const SHARED_PORTAL_URL = 'https://portal.thepulsespot.com';
const PULSE_HOST = 'thepulsespot.com';
const DEV_ACCOUNT_SUFFIX = '.dev.thepulsespot.com';

function parseHttpUrl( raw: string, what: string ): URL {
	let url: URL;
	try {
		url = new URL( raw.trim() );
	} catch {
		throw new CrmUsageError( `The ${ what } is not a valid URL.` );
	}
	if ( url.protocol !== 'https:' && url.protocol !== 'http:' ) {
		throw new CrmUsageError( `The ${ what } must be an http(s) URL.` );
	}
	return url;
}

function withoutTrailingSlashes( url: URL ): string {
	return `${ url.origin }${ url.pathname }`.replace( /\/+$/, '' );
}

/** `{account}/api/v1/`: exactly one slash between the parts, whatever the owner typed. */
export function apiBaseUrl( accountUrl: string ): string {
	return `${ withoutTrailingSlashes( parseHttpUrl( accountUrl, 'CRM account URL' ) ) }/api/v1/`;
}

/**
 * The portal when the owner typed none (the one owner of this rule; the plugin sends the
 * `crm_portal_url` setting as typed, '' for none): PulseTechnologyCRM accounts share
 * portal.thepulsespot.com, `*.dev.thepulsespot.com` accounts use their own host with `app.` →
 * `portal.`, and any other host (a self-hosted CRM, the sandbox) serves the portal itself.
 * @param accountUrl The CRM account URL.
 */
export function defaultPortalUrl( accountUrl: string ): string {
	const account = parseHttpUrl( accountUrl, 'CRM account URL' );
	if ( account.hostname.endsWith( DEV_ACCOUNT_SUFFIX ) ) {
		const host = account.host.replace( /(^|\.)app\./, '$1portal.' );
		return `${ account.protocol }//${ host }`;
	}
	if (
		account.hostname === PULSE_HOST ||
		account.hostname.endsWith( `.${ PULSE_HOST }` )
	) {
		return SHARED_PORTAL_URL;
	}
	return withoutTrailingSlashes( account );
}

/**
 * The portal the bridge talks to: the owner's, else the default for the account.
 * @param portalUrl  The setting as typed ('' = none).
 * @param accountUrl The CRM account URL.
 */
export function effectivePortalUrl(
	portalUrl: string,
	accountUrl: string
): string {
	return portalBaseUrl( portalUrl || defaultPortalUrl( accountUrl ) );
}

export function portalBaseUrl( portalUrl: string ): string {
	return withoutTrailingSlashes(
		parseHttpUrl( portalUrl, 'CRM portal URL' )
	);
}

/** Adds `page=N` with `?` or `&`, so `contacts/tagged/?tag_id=1` never gets a second `?`. */
export function withPage( url: string, page: number ): string {
	return `${ url }${ querySeparator( url ) }page=${ page }`;
}

function querySeparator( url: string ): string {
	if ( ! url.includes( '?' ) ) {
		return '?';
	}
	return url.endsWith( '?' ) || url.endsWith( '&' ) ? '' : '&';
}
