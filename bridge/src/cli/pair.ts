import {
	PairingExchangeAnswer,
	WordPressErrorBody,
	parseJson,
} from '@pulse-sync/contracts';
import { readConfigFile, writeConfigFile } from '../config/file';
import { parseSecret, parseSiteUrl, parseTime } from '../config/parsers';
import { resolveConfig } from '../config/resolve';
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
	const answer = await exchange( siteUrl, code.trim(), config.publicUrl );
	if ( typeof answer === 'string' ) {
		out.error( `Pairing with ${ siteUrl } failed: ${ answer }.` );
		return EXIT.failed;
	}
	const file = readConfigFile( config.dataDir );
	const oldSecret = typeof file.secret === 'string' ? file.secret : null;
	const rotated = oldSecret !== null && oldSecret !== answer.secret;
	const next: Record< string, unknown > = {
		...file,
		siteUrl,
		secret: answer.secret,
	};
	delete next.previousSecret;
	delete next.previousSecretUntil;
	if ( rotated ) {
		// Kept after the overlap too: it still opens CRM tokens sealed before the rotation.
		next.previousSecret = oldSecret;
		if ( answer.previousValidUntil !== null ) {
			next.previousSecretUntil = answer.previousValidUntil;
		}
	}
	const written = writeConfigFile( config.dataDir, next );
	out.info(
		`Paired with ${ siteUrl }; the site reaches this bridge at ${ config.publicUrl }.`
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
