import { isIP } from 'node:net';

/**
 * Whether a URL's host is this machine: `localhost`, 127.0.0.0/8 or ::1 (the same rule as the
 * plugin's bridge URL rule, `PulseSync\Bridge\BridgeUrl`).
 * @param url The URL.
 */
export function isLoopback( url: URL ): boolean {
	const host = url.hostname.replace( /^\[(.*)\]$/, '$1' ).toLowerCase();
	if ( host === 'localhost' ) {
		return true;
	}
	if ( isIP( host ) === 4 ) {
		return host.startsWith( '127.' );
	}
	return isIP( host ) === 6 && host === '::1';
}

/**
 * Why the bridge refuses to send its signed requests (and the generated passwords of a batch)
 * to this site URL, or null. Plain http is read and changed by anyone on the path, so it is
 * refused unless the site is on this machine or the owner allowed it
 * (`PULSE_SYNC_ALLOW_HTTP_SITE=1`, for a private network they trust).
 * @param url       The site URL.
 * @param allowHttp Whether http:// to another host was allowed.
 */
export function siteUrlProblem( url: URL, allowHttp: boolean ): string | null {
	if ( url.protocol !== 'http:' && url.protocol !== 'https:' ) {
		return 'must be an http:// or https:// URL';
	}
	if ( url.protocol === 'http:' && ! allowHttp && ! isLoopback( url ) ) {
		return 'must be an https:// URL (http:// only for a site on this machine, or with PULSE_SYNC_ALLOW_HTTP_SITE=1)';
	}
	return null;
}
