import {
	PairingExchangeAnswer,
	WordPressErrorBody,
	parseJson,
} from '@pulse-sync/contracts';
import { readConfigFile, writeConfigFile } from '../config/file';
import { parseSecret, parseSiteUrl, parseTime } from '../config/parsers';
import { resolveConfig } from '../config/resolve';
import { LEGACY_SITE_ID, newSiteId, sitePathPrefix } from '../sites/registry';
import { BRIDGE_VERSION } from '../version';
import { EXIT } from './exit-codes';
import type { Output } from './output';

const EXCHANGE_PATH = '/wp-json/pulse-sync/v1/pairing/exchange';
const TIMEOUT_MS = 30_000;

/** Why the site refused, as the plugin names it (docs/architecture.md, "Pairing"). */
const REFUSALS: Record< number, string > = {
	400: 'the site refused the request (is the bridge URL https://, or http:// on loopback? see --public-url)',
	403: 'the code is unknown, expired or used already: make a new one in Pulse Sync » Status » Pair a bridge',
	429: 'too many attempts: wait and try again',
};

export interface PairResult {
	siteUrl: string;
	configFile: string;
	rotated: boolean;
}

/**
 * `pulse-sync-bridge pair <site-url> --code CODE`: exchanges the one-time code for the bridge
 * secret, tells the site the bridge's own URL (`--public-url`), and writes `siteUrl`, `secret`
 * and, on a re-pair, `previousSecret` + `previousSecretUntil` into config.json (mode 0600). The
 * secret is never printed.
 * @param siteArg The site URL as typed.
 * @param code    The pairing code.
 * @param flags   The command line's setting flags.
 * @param out     Where messages go.
 */
export async function pairCommand(
	siteArg: string | undefined,
	code: string | undefined,
	flags: Record< string, unknown >,
	out: Output
): Promise< number > {
	if ( siteArg === undefined || code === undefined || code.trim() === '' ) {
		out.error(
			'Usage: pulse-sync-bridge pair <site-url> --code CODE (the command is shown in Pulse Sync » Status » Pair a bridge).'
		);
		return EXIT.usage;
	}
	const config = resolveConfig( { flags, requireSite: false } );
	let siteUrl: string;
	try {
		siteUrl = parseSiteUrl( siteArg, config.allowHttpSite );
	} catch ( error ) {
		out.error( `The site URL ${ ( error as Error ).message }.` );
		return EXIT.usage;
	}
	const file = readConfigFile( config.dataDir );
	const place = pairingPlace( file, config.siteUrl, siteUrl );
	const bridgeUrl = `${ config.publicUrl }${ sitePathPrefix( place.id ) }`;
	const answer = await exchange( siteUrl, code.trim(), bridgeUrl );
	if ( typeof answer === 'string' ) {
		out.error( `Pairing with ${ siteUrl } failed: ${ answer }.` );
		return EXIT.failed;
	}
	const previous = place.fields;
	const oldSecret =
		typeof previous.secret === 'string' ? previous.secret : null;
	const rotated = oldSecret !== null && oldSecret !== answer.secret;
	const fields: Record< string, unknown > = {
		...previous,
		siteUrl,
		secret: answer.secret,
	};
	delete fields.previousSecret;
	delete fields.previousSecretUntil;
	if ( rotated ) {
		// Kept after the overlap too: it still opens CRM tokens sealed before the rotation.
		fields.previousSecret = oldSecret;
		if ( answer.previousValidUntil !== null ) {
			fields.previousSecretUntil = answer.previousValidUntil;
		}
	}
	const next =
		place.id === LEGACY_SITE_ID
			? { ...file, ...fields }
			: {
					...file,
					sites: [
						...siteList( file ).filter(
							( site ) => site.id !== place.id
						),
						{
							...fields,
							id: place.id,
							pairedAt: new Date().toISOString(),
						},
					],
				};
	const written = writeConfigFile( config.dataDir, next );
	out.info(
		`Paired with ${ siteUrl }${ place.id === LEGACY_SITE_ID ? '' : ` (site ${ place.id })` }; the site reaches this bridge at ${ bridgeUrl }.`
	);
	out.info( `The bridge secret is stored in ${ written } (mode 0600).` );
	if ( process.env.PULSE_SYNC_BRIDGE_SECRET ) {
		out.error(
			'Warning: PULSE_SYNC_BRIDGE_SECRET is set in this environment and wins over config.json; unset it for the bridge to use the new pairing.'
		);
	}
	out.info(
		'A running bridge uses the new pairing within a second; otherwise run `pulse-sync-bridge start`.'
	);
	return EXIT.ok;
}

/**
 * Where a pairing is written: the top-level site when the bridge has none yet or it is that
 * site (the layout of a bridge of one site), the registry entry of that URL (a re-pair), or a
 * new registry entry with a new id.
 * @param file     config.json as it is.
 * @param topLevel The bridge's own site as it runs (flag > env > config.json): a site set by
 *                 `PULSE_SYNC_SITE_URL` is the top-level one even though config.json names none.
 * @param siteUrl  The site being paired.
 */
function pairingPlace(
	file: Record< string, unknown >,
	topLevel: string | null,
	siteUrl: string
): { id: string; fields: Record< string, unknown > } {
	if ( topLevel === null || topLevel === siteUrl ) {
		return { id: LEGACY_SITE_ID, fields: file };
	}
	const known = siteList( file ).find( ( site ) => site.siteUrl === siteUrl );
	return known === undefined
		? { id: newSiteId(), fields: {} }
		: { id: String( known.id ), fields: known };
}

/**
 * The raw `sites` entries of config.json (validated when the bridge loads them).
 * @param file config.json as it is.
 */
export function siteList(
	file: Record< string, unknown >
): Record< string, unknown >[] {
	return Array.isArray( file.sites )
		? ( file.sites as Record< string, unknown >[] )
		: [];
}

interface ExchangeAnswer {
	secret: string;
	previousValidUntil: string | null;
}

/**
 * The exchange call; a string is the reason it failed, fit for the owner's eyes.
 * @param siteUrl   The site.
 * @param code      The pairing code.
 * @param bridgeUrl This bridge's URL as the site should use it.
 */
async function exchange(
	siteUrl: string,
	code: string,
	bridgeUrl: string
): Promise< ExchangeAnswer | string > {
	let response: Response;
	try {
		response = await fetch( `${ siteUrl }${ EXCHANGE_PATH }`, {
			method: 'POST',
			// The answer carries the secret: never from wherever a redirect points.
			redirect: 'manual',
			headers: {
				'content-type': 'application/json',
				accept: 'application/json',
			},
			body: JSON.stringify( {
				code,
				bridge_url: bridgeUrl,
				bridge_version: BRIDGE_VERSION,
			} ),
			signal: AbortSignal.timeout( TIMEOUT_MS ),
		} );
	} catch ( error ) {
		return `the site did not answer (${ ( error as Error ).message })`;
	}
	const json = parseJson( await response.text().catch( () => '' ) );
	const body = json.ok ? json.value : null;
	if ( response.status !== 200 ) {
		const reason =
			REFUSALS[ response.status ] ??
			`HTTP ${ response.status } (is Pulse Sync active on ${ siteUrl }?)`;
		const refusal = WordPressErrorBody.parse( body ).code;
		const retryAfter = response.headers.get( 'retry-after' );
		return `${ reason }${ refusal !== null ? ` [${ refusal }]` : '' }${ retryAfter ? ` (retry after ${ retryAfter } s)` : '' }`;
	}
	try {
		const answer = PairingExchangeAnswer.parse( body );
		const until = answer.previous_secret_valid_until;
		if ( until !== null ) {
			parseTime( until );
		}
		return {
			secret: parseSecret( answer.secret ),
			previousValidUntil: until,
		};
	} catch {
		return 'the site answered without a valid bridge secret';
	}
}
