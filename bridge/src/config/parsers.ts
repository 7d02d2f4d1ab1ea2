/**
 * Parsers of the bridge's settings: each takes the raw text (from a flag, the environment or
 * config.json) and returns the value or throws an Error whose message names what is wrong.
 */
import { siteUrlProblem } from '../wordpress/site-url';

const MIN_SECRET_BYTES = 16;
const DURATION_UNITS_MS: Record< string, number > = {
	ms: 1,
	s: 1000,
	m: 60_000,
	h: 3_600_000,
};

export function parseInteger( raw: string, min: number, max: number ): number {
	if ( ! /^\d+$/.test( raw ) ) {
		throw new Error( `expected a whole number, got "${ raw }"` );
	}
	const value = Number( raw );
	if ( value < min || value > max ) {
		throw new Error(
			`must be between ${ min } and ${ max }, got ${ value }`
		);
	}
	return value;
}

export function parseHost( raw: string ): string {
	if ( ! /^[A-Za-z0-9.:[\]-]+$/.test( raw ) ) {
		throw new Error( `"${ raw }" is not a host name or IP address` );
	}
	return raw;
}

/**
 * An http(s) URL without query or fragment, returned without its trailing slashes.
 * @param raw The URL as given.
 */
export function parseHttpUrl( raw: string ): string {
	let url: URL;
	try {
		url = new URL( raw );
	} catch {
		throw new Error( `"${ raw }" is not a URL` );
	}
	if ( url.protocol !== 'http:' && url.protocol !== 'https:' ) {
		throw new Error( 'must be an http:// or https:// URL' );
	}
	if ( url.search || url.hash ) {
		throw new Error( 'must not contain a query string or fragment' );
	}
	if ( url.username || url.password ) {
		throw new Error( 'must not contain a user name or password' );
	}
	return url.href.replace( /\/+$/, '' );
}

/**
 * A PostgreSQL connection URL (`postgres://` or `postgresql://`). A password in it is refused:
 * the URL may be a flag, visible in `ps`; `pg` reads PGPASSWORD or ~/.pgpass instead.
 * @param raw The URL as given.
 */
export function parsePostgresUrl( raw: string ): string {
	let url: URL;
	try {
		url = new URL( raw );
	} catch {
		throw new Error( `"${ raw }" is not a URL` );
	}
	if ( url.protocol !== 'postgres:' && url.protocol !== 'postgresql:' ) {
		throw new Error( 'must be a postgres:// URL' );
	}
	if ( url.password ) {
		throw new Error(
			'must not contain a password (give it in PGPASSWORD or ~/.pgpass)'
		);
	}
	if ( url.pathname.length <= 1 ) {
		throw new Error( 'must name the database (postgres://host/name)' );
	}
	return raw;
}

/**
 * "0" or "1".
 * @param raw The value as given.
 */
export function parseFlag( raw: string ): boolean {
	if ( raw !== '0' && raw !== '1' ) {
		throw new Error( `must be 0 or 1, got "${ raw }"` );
	}
	return raw === '1';
}

/**
 * The site URL: an http(s) URL as parseHttpUrl takes it, and https:// unless the site is on this
 * machine or plain http was allowed (wordpress/site-url.ts).
 * @param raw       The URL as given.
 * @param allowHttp PULSE_SYNC_ALLOW_HTTP_SITE.
 */
export function parseSiteUrl( raw: string, allowHttp: boolean ): string {
	const clean = parseHttpUrl( raw );
	const problem = siteUrlProblem( new URL( clean ), allowHttp );
	if ( problem !== null ) {
		throw new Error( problem );
	}
	return clean;
}

// The value itself is never echoed: it is a secret.
export function parseSecret( raw: string ): string {
	const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec( raw );
	if (
		! match ||
		Buffer.from( match[ 1 ] as string, 'base64' ).length < MIN_SECRET_BYTES
	) {
		throw new Error(
			`must be "whsec_" followed by the base64 of at least ${ MIN_SECRET_BYTES } random bytes (run \`pulse-sync-bridge pair\` to get one)`
		);
	}
	return raw;
}

/**
 * An ISO-8601 time → unix ms.
 * @param raw The time as `pair` wrote it.
 */
export function parseTime( raw: string ): number {
	const value = Date.parse( raw );
	if ( Number.isNaN( value ) ) {
		throw new Error( `"${ raw }" is not an ISO-8601 time` );
	}
	return value;
}

/**
 * "30s,2m,1h" → [30000, 120000, 3600000]; an empty list means no retries.
 * @param raw Comma-separated durations, or "none".
 */
export function parseSchedule( raw: string ): number[] {
	if ( raw === 'none' ) {
		return [];
	}
	return raw
		.split( ',' )
		.map( ( part ) => parseDuration( part.trim(), ' (or use "none")' ) );
}

/**
 * "30s" → 30000.
 * @param raw  A whole number with a unit: ms, s, m or h.
 * @param hint Appended to the error message.
 */
export function parseDuration( raw: string, hint = '' ): number {
	const match = /^(\d+)(ms|s|m|h)$/.exec( raw );
	if ( ! match ) {
		throw new Error(
			`"${ raw }" is not a duration like 30s, 2m or 1h${ hint }`
		);
	}
	return (
		Number( match[ 1 ] ) *
		( DURATION_UNITS_MS[ match[ 2 ] as string ] as number )
	);
}

export function parseBoundedDuration( raw: string, maxMs: number ): number {
	const value = parseDuration( raw );
	if ( value > maxMs ) {
		throw new Error(
			`must be at most ${ maxMs / 60_000 } minutes, got "${ raw }"`
		);
	}
	return value;
}
