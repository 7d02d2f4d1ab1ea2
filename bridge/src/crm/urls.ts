import { CrmUsageError } from './errors';

const DEFAULT_PORTAL_URL = 'https://portal.thepulsespot.com';
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

/** The portal is shared, except for dev accounts, whose portal is their own host with `app.` → `portal.`. */
export function defaultPortalUrl( accountUrl: string ): string {
	const account = parseHttpUrl( accountUrl, 'CRM account URL' );
	if ( ! account.hostname.endsWith( DEV_ACCOUNT_SUFFIX ) ) {
		return DEFAULT_PORTAL_URL;
	}
	const host = account.host.replace( /(^|\.)app\./, '$1portal.' );
	return `${ account.protocol }//${ host }`;
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
