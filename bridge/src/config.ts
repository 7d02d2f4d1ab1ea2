import path from 'node:path';
import { siteUrlProblem } from './wordpress/site-url';

/** Everything the bridge reads from its environment, validated once at start. */
export interface BridgeConfig {
	host: string;
	port: number;
	siteUrl: string;
	/** The `whsec_…` secrets, current first (signature.ts signs with each, accepts any). */
	secrets: string[];
	dbPath: string;
	crmConcurrency: number;
	/** Pace of CRM calls: the CRM answers 429 to a client that goes too fast; a job makes about three. */
	crmRequestsPerSecond: number;
	wpConcurrency: number;
	/** Most user writes sent to WordPress in one request; at most the plugin's default cap (50). */
	wpBatchSize: number;
	workers: number;
	/** Delay before each retry; a job gets `retryScheduleMs.length + 1` attempts in total. */
	retryScheduleMs: number[];
	logRetentionDays: number;
	/** Deliveries per second that make a storm (storm.ts); 0: never a storm. */
	stormRatePerSecond: number;
	/** During a storm, how long an update job waits for its contact to be quiet (queue/settle.ts). */
	stormSettleMs: number;
	/** The longest a settling job waits, from its first delivery. */
	stormSettleCapMs: number;
}

export class ConfigError extends Error {
	constructor( readonly problems: string[] ) {
		super(
			`Invalid bridge configuration:\n  - ${ problems.join( '\n  - ' ) }`
		);
		this.name = 'ConfigError';
	}
}

// About 23 h 40 min in total: a CRM or site that is down for most of a day still gets its
// deliveries, and an owner looking at the log the next morning sees the final reason.
export const DEFAULT_RETRY_SCHEDULE = '30s,2m,10m,30m,1h,2h,4h,8h,8h';
// A CRM bulk edit comes back to the same contact once per pass over all edited contacts: 2,000
// contacts at 35 webhooks/s is a minute. 30 s was measured too short (1.36 jobs per contact at
// 70 webhooks/s: passes that ran a little late started a second job). 5 min bounds how stale a
// user can get during a long storm.
const DEFAULT_STORM_SETTLE = '60s';
const DEFAULT_STORM_SETTLE_CAP = '5m';
const MAX_STORM_SETTLE_MS = 3_600_000;
const MAX_STORM_SETTLE_CAP_MS = 24 * 3_600_000;

const MIN_SECRET_BYTES = 16;
const DURATION_UNITS_MS: Record< string, number > = {
	ms: 1,
	s: 1000,
	m: 60_000,
	h: 3_600_000,
};

type Env = Record< string, string | undefined >;

/**
 * Reads the `PULSE_SYNC_*` variables; throws one ConfigError that lists every bad value.
 * @param env process.env or a test's own variables.
 * @param cwd Directory a relative PULSE_SYNC_BRIDGE_DB is resolved against.
 */
export function loadConfig(
	env: Env,
	cwd: string = process.cwd()
): BridgeConfig {
	const problems: string[] = [];
	const read = < T >(
		name: string,
		fallback: string | undefined,
		parse: ( raw: string ) => T
	): T => {
		const raw = env[ name ]?.trim() || fallback;
		if ( raw === undefined ) {
			problems.push( `${ name } is required` );
			return undefined as T;
		}
		try {
			return parse( raw );
		} catch ( error ) {
			problems.push( `${ name }: ${ ( error as Error ).message }` );
			return undefined as T;
		}
	};

	const allowHttpSite = read( 'PULSE_SYNC_ALLOW_HTTP_SITE', '0', parseFlag );
	const config: BridgeConfig = {
		host: read( 'PULSE_SYNC_BRIDGE_HOST', '127.0.0.1', parseHost ),
		port: read( 'PULSE_SYNC_BRIDGE_PORT', '8787', ( raw ) =>
			parseInteger( raw, 0, 65535 )
		),
		siteUrl: read( 'PULSE_SYNC_SITE_URL', undefined, ( raw ) =>
			parseSiteUrl( raw, allowHttpSite )
		),
		secrets: [ read( 'PULSE_SYNC_BRIDGE_SECRET', undefined, parseSecret ) ],
		dbPath: read( 'PULSE_SYNC_BRIDGE_DB', 'pulse-sync-bridge.db', ( raw ) =>
			path.resolve( cwd, raw )
		),
		crmConcurrency: read( 'PULSE_SYNC_CRM_CONCURRENCY', '4', ( raw ) =>
			parseInteger( raw, 1, 64 )
		),
		crmRequestsPerSecond: read(
			'PULSE_SYNC_CRM_REQUESTS_PER_SECOND',
			'10',
			( raw ) => parseInteger( raw, 1, 1000 )
		),
		// One user-write request at a time, as large as the plugin takes: the site keeps its other
		// PHP workers for visitors and webhooks, and a large batch costs far less per user (bench,
		// 2,000 adds: 24 ms of CPU per user with 1 × 50 against 33 ms with 2 × 25, same throughput).
		wpConcurrency: read( 'PULSE_SYNC_WP_CONCURRENCY', '1', ( raw ) =>
			parseInteger( raw, 1, 64 )
		),
		wpBatchSize: read( 'PULSE_SYNC_WP_BATCH_SIZE', '50', ( raw ) =>
			parseInteger( raw, 1, 50 )
		),
		workers: read( 'PULSE_SYNC_WORKERS', '4', ( raw ) =>
			parseInteger( raw, 1, 64 )
		),
		retryScheduleMs: read(
			'PULSE_SYNC_RETRY_SCHEDULE',
			DEFAULT_RETRY_SCHEDULE,
			parseSchedule
		),
		logRetentionDays: read(
			'PULSE_SYNC_LOG_RETENTION_DAYS',
			'30',
			( raw ) => parseInteger( raw, 1, 3650 )
		),
		stormRatePerSecond: read( 'PULSE_SYNC_STORM_RATE', '20', ( raw ) =>
			parseInteger( raw, 0, 100_000 )
		),
		stormSettleMs: read(
			'PULSE_SYNC_STORM_SETTLE',
			DEFAULT_STORM_SETTLE,
			( raw ) => parseBoundedDuration( raw, MAX_STORM_SETTLE_MS )
		),
		stormSettleCapMs: read(
			'PULSE_SYNC_STORM_SETTLE_CAP',
			DEFAULT_STORM_SETTLE_CAP,
			( raw ) => parseBoundedDuration( raw, MAX_STORM_SETTLE_CAP_MS )
		),
	};
	if ( config.stormSettleCapMs < config.stormSettleMs ) {
		problems.push(
			'PULSE_SYNC_STORM_SETTLE_CAP must not be shorter than PULSE_SYNC_STORM_SETTLE'
		);
	}
	if ( problems.length > 0 ) {
		throw new ConfigError( problems );
	}
	return config;
}

function parseInteger( raw: string, min: number, max: number ): number {
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

function parseHost( raw: string ): string {
	if ( ! /^[A-Za-z0-9.:[\]-]+$/.test( raw ) ) {
		throw new Error( `"${ raw }" is not a host name or IP address` );
	}
	return raw;
}

function parseFlag( raw: string ): boolean {
	if ( raw !== '0' && raw !== '1' ) {
		throw new Error( `must be 0 or 1, got "${ raw }"` );
	}
	return raw === '1';
}

function parseSiteUrl( raw: string, allowHttp: boolean ): string {
	let url: URL;
	try {
		url = new URL( raw );
	} catch {
		throw new Error( `"${ raw }" is not a URL` );
	}
	const problem = siteUrlProblem( url, allowHttp );
	if ( problem !== null ) {
		throw new Error( problem );
	}
	if ( url.search || url.hash ) {
		throw new Error( 'must not contain a query string or fragment' );
	}
	return url.href.replace( /\/+$/, '' );
}

// The value itself is never echoed: it is a secret.
function parseSecret( raw: string ): string {
	const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec( raw );
	if (
		! match ||
		Buffer.from( match[ 1 ] as string, 'base64' ).length < MIN_SECRET_BYTES
	) {
		throw new Error(
			`must be "whsec_" followed by the base64 of at least ${ MIN_SECRET_BYTES } random bytes (copy it from the Pulse Sync status screen)`
		);
	}
	return raw;
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
function parseDuration( raw: string, hint = '' ): number {
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

function parseBoundedDuration( raw: string, maxMs: number ): number {
	const value = parseDuration( raw );
	if ( value > maxMs ) {
		throw new Error(
			`must be at most ${ maxMs / 60_000 } minutes, got "${ raw }"`
		);
	}
	return value;
}
