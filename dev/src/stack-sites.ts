/**
 * Several WordPress sites in one stack (PULSE_STACK_SITES=N, default 1), as an agency runs them
 * against one bridge: each site its own database on the one MariaDB, its own copy of core, port,
 * access key and bridge secret. The first site is the stack's own (env-configured bridge, as
 * always); sites 2..N are paired to the same bridge(s) as an owner does it: a one-time code from
 * the plugin's "Pair a bridge" route, then `pulse-sync-bridge pair <site-url> --code CODE`, which
 * (on the multi-site bridge, issue 13 part 1) adds the site and gives its plugin the site's own
 * `/sites/<site-id>` bridge URL.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openSiteRegistry } from '../../bridge/src/sites/open-registry';
import { bridgeCommand } from './services';
import type { StackSite } from './stack-file';
import { waitUntil } from './wait';
import { requestPairingCode, wpAdminSession } from './wp-env-bridge';
import { runPhp } from './wordpress-site';

const MAX_SITES = 8;

export function requestedSites(): number {
	const count = Number( process.env.PULSE_STACK_SITES ?? '1' );
	if ( ! Number.isInteger( count ) || count < 1 || count > MAX_SITES ) {
		throw new Error(
			`PULSE_STACK_SITES must be a whole number from 1 to ${ MAX_SITES }`
		);
	}
	return count;
}

/** How site `n` (from 1) names its folder, database and logs: nothing for the first, `-n` after. */
export function siteSuffix( n: number ): string {
	return n === 1 ? '' : `-${ n }`;
}

/** Site `n`'s database: `wordpress` for the first (as always), `wordpress_n` after. */
export function siteDatabaseName( n: number ): string {
	return n === 1 ? 'wordpress' : `wordpress_${ n }`;
}

/** One bridge process: its own URL, and its log (JSON lines), where it says why it refused a change. */
export interface BridgeMember {
	url: string;
	log: string;
}

export interface PairingTarget {
	/** The URL the plugins reach the bridge(s) at (the fleet's nginx, or the one bridge). */
	bridgeUrl: string;
	/** Each bridge (the one, or every fleet member): each must serve the site. */
	members: readonly BridgeMember[];
	/** The bridge's data folder (config.json). */
	dataDir: string;
	/** With PULSE_STACK_DB=postgres: the shared database, where the site registry lives. */
	databaseUrl?: string;
	/** The first site, which the bridge is given by PULSE_SYNC_SITE_URL: `pair` must see it too. */
	firstSiteUrl: string;
}

/**
 * Pairs a site with the stack's bridge(s) as its owner would, and answers the bridge URL the
 * pairing gave its plugin.
 * @param site           The installed site, plugin active.
 * @param admin          The site's administrator, for the pairing code (a wp-admin session).
 * @param admin.user     Their login.
 * @param admin.password Their password.
 * @param target         Where the bridge is.
 */
export async function pairSite(
	site: Pick< StackSite, 'siteUrl' | 'wpDir' >,
	admin: { user: string; password: string },
	target: PairingTarget
): Promise< Pick< StackSite, 'bridgeUrl' | 'bridgeSecret' > > {
	const code = await requestPairingCode(
		site.siteUrl,
		await wpAdminSession( site.siteUrl, admin.user, admin.password )
	);
	const logMarks = target.members.map( ( member ) => logSize( member.log ) );
	const pair = bridgeCommand(
		'pair',
		site.siteUrl,
		'--code',
		code,
		'--data-dir',
		target.dataDir,
		'--public-url',
		target.bridgeUrl,
		...( target.databaseUrl ? [ '--database', target.databaseUrl ] : [] )
	);
	const paired = spawnSync( pair.command, pair.args, {
		encoding: 'utf8',
		env: { ...process.env, PULSE_SYNC_SITE_URL: target.firstSiteUrl },
	} );
	if ( paired.status !== 0 ) {
		throw new Error(
			`pulse-sync-bridge pair ${ site.siteUrl } failed (exit ${ paired.status }):\n${ paired.stdout }\n${ paired.stderr }`
		);
	}
	const { settings } = JSON.parse(
		runPhp( site.wpDir, 'configure.php', {}, {} )
	) as { settings: { bridge_url?: string } };
	const bridgeUrl = settings.bridge_url ?? '';
	// A one-site bridge would have taken this site in place of the first: say so, not seed it.
	if ( ! bridgeUrl.startsWith( `${ target.bridgeUrl }/sites/` ) ) {
		throw new Error(
			`${ site.siteUrl } was paired with bridge URL "${ bridgeUrl }", not a /sites/<site-id> route of ${ target.bridgeUrl }: PULSE_STACK_SITES > 1 needs the bridge that serves many sites (issue 13 part 1)`
		);
	}
	await servedByEveryBridge( bridgeUrl, target, logMarks );
	// The pairing gave the site a new secret; the stack signs its seeding calls with it.
	const registry = await openSiteRegistry( {
		databaseUrl: target.databaseUrl ?? null,
		dataDir: target.dataDir,
		dbPath: path.join( target.dataDir, 'bridge.sqlite' ),
		allowHttpSite: true,
	} );
	try {
		const entry = ( await registry.list() ).find(
			( registered ) => registered.siteUrl === site.siteUrl
		);
		if ( entry === undefined ) {
			throw new Error(
				`${ site.siteUrl } is not in the bridge's site registry (${ registry.description }) after pairing`
			);
		}
		return { bridgeUrl, bridgeSecret: entry.secrets[ 0 ] as string };
	} finally {
		await registry.close();
	}
}

function logSize( file: string ): number {
	try {
		return fs.statSync( file ).size;
	} catch {
		return 0;
	}
}

/**
 * The message of the last `config.reload_failed` the bridge logged after `mark`, if any.
 * @param file The bridge's log.
 * @param mark Its size before the pairing.
 */
export function reloadRefusal( file: string, mark: number ): string | null {
	let text = '';
	try {
		text = fs.readFileSync( file, 'utf8' ).slice( mark );
	} catch {
		return null;
	}
	let refusal: string | null = null;
	for ( const line of text.split( '\n' ) ) {
		try {
			const entry = JSON.parse( line ) as {
				event?: string;
				error?: { message?: string };
			};
			if ( entry.event === 'config.reload_failed' ) {
				refusal = entry.error?.message ?? 'no reason given';
			}
		} catch {
			// Not a JSON line (or a partly written one).
		}
	}
	return refusal;
}

/**
 * Waits until every bridge serves the site `pair` just added: a running bridge sees the new
 * config.json on its next look at the file (every second), and answers 404 `unknown_site` at the
 * site's routes until then, so seeding at once would race it. A bridge that refused the new
 * configuration says why in its log: that is the error, at once.
 * @param siteBridgeUrl The site's `<bridge URL>/sites/<site-id>`.
 * @param target        Where the bridge(s) are.
 * @param logMarks      Each member's log size before the pairing.
 */
async function servedByEveryBridge(
	siteBridgeUrl: string,
	target: PairingTarget,
	logMarks: readonly number[]
): Promise< void > {
	const sitePath = siteBridgeUrl.slice( target.bridgeUrl.length );
	for ( const [ index, member ] of target.members.entries() ) {
		await waitUntil(
			`the bridge at ${ member.url } to serve ${ sitePath }`,
			async () => {
				const refusal = reloadRefusal(
					member.log,
					logMarks[ index ] ?? 0
				);
				if ( refusal !== null ) {
					throw new Error(
						`the bridge at ${ member.url } refused the site paired at ${ sitePath }: ${ refusal }`
					);
				}
				const health = await fetch(
					`${ member.url }${ sitePath }/v1/health`,
					{ signal: AbortSignal.timeout( 2000 ) }
				).catch( () => null );
				return health !== null && health.status !== 404;
			},
			30000
		);
	}
}
