/**
 * The site registry: the sites one bridge serves. The site paired first (or before the bridge
 * served several) keeps the top-level `siteUrl`/`secret` of config.json and the unprefixed paths;
 * every further site is an entry of `sites: [...]` in the same file, served under
 * `/sites/<id>/` (docs/architecture.md, "Many sites on one bridge").
 */
import { randomInt } from 'node:crypto';
import { parseSecret, parseSiteUrl, parseTime } from '../config/parsers';

/** The id of the site at the top level of config.json, served at the unprefixed paths. */
export const LEGACY_SITE_ID = 'default';

// RFC 4648 base32 in lower case: safe in a URL path and a file name, no look-alike digits.
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const ID_LENGTH = 10;
const ID_PATTERN = new RegExp( `^[${ ID_ALPHABET }]{${ ID_LENGTH }}$` );

export interface SiteEntry {
	id: string;
	siteUrl: string;
	/** Current secret first, then the one before the last rotation (as BridgeConfig.secrets). */
	secrets: string[];
	previousSecretUntil: number | null;
	/** ISO-8601 time of the last `pair`. */
	pairedAt: string | null;
}

export function newSiteId(): string {
	let id = '';
	for ( let index = 0; index < ID_LENGTH; index++ ) {
		id += ID_ALPHABET[ randomInt( ID_ALPHABET.length ) ];
	}
	return id;
}

export function isSiteId( value: string ): boolean {
	return ID_PATTERN.test( value );
}

/**
 * The `sites` entries of config.json, validated; every problem is listed (no value is echoed:
 * entries hold secrets).
 * @param raw       The `sites` value as decoded.
 * @param allowHttp PULSE_SYNC_ALLOW_HTTP_SITE.
 * @param problems  Where problems are added.
 */
export function parseSiteEntries(
	raw: unknown,
	allowHttp: boolean,
	problems: string[]
): SiteEntry[] {
	if ( raw === undefined ) {
		return [];
	}
	if ( ! Array.isArray( raw ) ) {
		problems.push( 'config.json "sites" must be a list' );
		return [];
	}
	const entries: SiteEntry[] = [];
	const seen = new Set< string >();
	for ( const [ index, item ] of raw.entries() ) {
		const where = `config.json "sites"[${ index }]`;
		try {
			const entry = parseSiteEntry( item, allowHttp );
			if ( seen.has( entry.id ) || seen.has( entry.siteUrl ) ) {
				throw new Error( 'repeats the id or URL of another site' );
			}
			seen.add( entry.id );
			seen.add( entry.siteUrl );
			entries.push( entry );
		} catch ( error ) {
			problems.push( `${ where }: ${ ( error as Error ).message }` );
		}
	}
	return entries;
}

function parseSiteEntry( item: unknown, allowHttp: boolean ): SiteEntry {
	if ( item === null || typeof item !== 'object' || Array.isArray( item ) ) {
		throw new Error( 'must be an object' );
	}
	const fields = item as Record< string, unknown >;
	const id = String( fields.id ?? '' );
	if ( ! isSiteId( id ) ) {
		throw new Error(
			`"id" must be ${ ID_LENGTH } characters of ${ ID_ALPHABET }`
		);
	}
	const siteUrl = parseSiteUrl( String( fields.siteUrl ?? '' ), allowHttp );
	const secret = parseSecret( String( fields.secret ?? '' ) );
	const previous =
		fields.previousSecret === undefined
			? null
			: parseSecret( String( fields.previousSecret ) );
	return {
		id,
		siteUrl,
		secrets: previous === null ? [ secret ] : [ secret, previous ],
		previousSecretUntil:
			fields.previousSecretUntil === undefined
				? null
				: parseTime( String( fields.previousSecretUntil ) ),
		pairedAt: typeof fields.pairedAt === 'string' ? fields.pairedAt : null,
	};
}

/** The parts of BridgeConfig the registry is read from. */
export interface RegistrySources {
	siteUrl: string | null;
	secrets: string[];
	previousSecretUntil: number | null;
	sites?: readonly SiteEntry[];
}

/**
 * Every site the configuration holds: the top-level one first when it is paired.
 * @param config The bridge's configuration.
 */
export function configuredSites( config: RegistrySources ): SiteEntry[] {
	return [
		...( config.siteUrl === null
			? []
			: [
					{
						id: LEGACY_SITE_ID,
						siteUrl: config.siteUrl,
						secrets: config.secrets,
						previousSecretUntil: config.previousSecretUntil,
						pairedAt: null,
					},
				] ),
		...( config.sites ?? [] ),
	];
}

/**
 * The path prefix a site is served under; '' for the top-level site.
 * @param id The site's id.
 */
export function sitePathPrefix( id: string ): string {
	return id === LEGACY_SITE_ID ? '' : `/sites/${ id }`;
}

/**
 * Splits a request path into the site it addresses and the path below the site's base URL (the
 * path the plugin signed). An unprefixed path addresses the top-level site.
 * @param pathname The request's URL path.
 */
export function routeToSite(
	pathname: string
): { siteId: string; path: string } | null {
	const match = /^\/sites\/([^/]+)(\/.*)$/.exec( pathname );
	if ( match === null ) {
		return pathname.startsWith( '/sites/' ) || pathname === '/sites'
			? null
			: { siteId: LEGACY_SITE_ID, path: pathname };
	}
	const id = match[ 1 ] as string;
	return isSiteId( id ) ? { siteId: id, path: match[ 2 ] as string } : null;
}
