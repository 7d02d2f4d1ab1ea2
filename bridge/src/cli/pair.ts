import {
	PairingExchangeAnswer,
	WordPressErrorBody,
	parseJson,
} from '@pulse-sync/contracts';
import { readConfigFile, writeConfigFile } from '../config/file';
import { parseSecret, parseSiteUrl, parseTime } from '../config/parsers';
import { resolveConfig } from '../config/resolve';
import { openSiteRegistry } from '../sites/open-registry';
import {
	LEGACY_SITE_ID,
	newSiteId,
	sitePathPrefix,
	type SiteEntry,
} from '../sites/registry';
import type { SiteRegistryStore } from '../sites/registry-store';
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
	const registry = await openSiteRegistry( config );
	try {
		// The top-level site when the bridge has none yet or it is that site (the layout of a
		// bridge of one site; `config.siteUrl` may come from PULSE_SYNC_SITE_URL), the
		// registry's entry of that URL (a re-pair), or a new entry.
		const topLevel = config.siteUrl === null || config.siteUrl === siteUrl;
		const known = topLevel
			? null
			: ( ( await registry.list() ).find(
					( site ) => site.siteUrl === siteUrl
				) ?? null );
		const id = topLevel ? LEGACY_SITE_ID : ( known?.id ?? newSiteId() );
		const bridgeUrl = `${ config.publicUrl }${ sitePathPrefix( id ) }`;
		const answer = await exchange( siteUrl, code.trim(), bridgeUrl );
		if ( typeof answer === 'string' ) {
			out.error( `Pairing with ${ siteUrl } failed: ${ answer }.` );
			return EXIT.failed;
		}
		const where =
			id === LEGACY_SITE_ID
				? pairTopLevel( config.dataDir, siteUrl, answer )
				: await pairInRegistry( registry, known, id, siteUrl, answer );
		out.info(
			`Paired with ${ siteUrl }${ id === LEGACY_SITE_ID ? '' : ` (site ${ id })` }; the site reaches this bridge at ${ bridgeUrl }.`
		);
		out.info( `The bridge secret is stored in ${ where }.` );
	} finally {
		await registry.close();
	}
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
 * Writes the top-level site's pairing into config.json; a re-pair keeps the secret it replaces
 * as `previousSecret` (still accepted until the site's overlap ends, and after it still opening
 * CRM tokens sealed before the rotation).
 * @param dataDir The bridge's data folder.
 * @param siteUrl The site.
 * @param answer  The site's answer.
 * @return Where the secret is stored, for the owner.
 */
function pairTopLevel(
	dataDir: string,
	siteUrl: string,
	answer: ExchangeAnswer
): string {
	const file = readConfigFile( dataDir );
	const oldSecret = typeof file.secret === 'string' ? file.secret : null;
	const fields: Record< string, unknown > = {
		...file,
		siteUrl,
		secret: answer.secret,
	};
	delete fields.previousSecret;
	delete fields.previousSecretUntil;
	if ( oldSecret !== null && oldSecret !== answer.secret ) {
		fields.previousSecret = oldSecret;
		if ( answer.previousValidUntil !== null ) {
			fields.previousSecretUntil = answer.previousValidUntil;
		}
	}
	return `${ writeConfigFile( dataDir, fields ) } (mode 0600)`;
}

/**
 * Adds a further site to the registry, or re-pairs one (as pairTopLevel does).
 * @param registry The registry.
 * @param known    The site's entry when it is a re-pair.
 * @param id       The site's id.
 * @param siteUrl  The site.
 * @param answer   The site's answer.
 * @return Where the secret is stored, for the owner.
 */
async function pairInRegistry(
	registry: SiteRegistryStore,
	known: SiteEntry | null,
	id: string,
	siteUrl: string,
	answer: ExchangeAnswer
): Promise< string > {
	const oldSecret = known?.secrets[ 0 ] ?? null;
	const rotated = oldSecret !== null && oldSecret !== answer.secret;
	await registry.save( {
		id,
		siteUrl,
		secrets: rotated ? [ answer.secret, oldSecret ] : [ answer.secret ],
		previousSecretUntil:
			rotated && answer.previousValidUntil !== null
				? parseTime( answer.previousValidUntil )
				: null,
		pairedAt: new Date().toISOString(),
	} );
	return registry.description;
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
