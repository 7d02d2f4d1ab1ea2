/**
 * The one table of the bridge's settings: the config loader (config.ts) and `--help`
 * (cli/help.ts) both read it, so a setting is named, defaulted and described once.
 */
import path from 'node:path';
import {
	parseBoundedDuration,
	parseFlag,
	parseHost,
	parseHttpUrl,
	parseInteger,
	parsePostgresUrl,
	parseSchedule,
	parseSecret,
	parseSiteUrl,
	parseTime,
} from './parsers';

/** Every value a setting can produce, by the name used in BridgeConfig and in config.json. */
export interface SettingValues {
	dataDir: string;
	host: string;
	port: number;
	publicUrl: string;
	allowHttpSite: boolean;
	siteUrl: string | null;
	secret: string | null;
	previousSecret: string | null;
	previousSecretUntil: number | null;
	dbPath: string;
	databaseUrl: string | null;
	queueLeaseMs: number;
	crmConcurrency: number;
	crmRequestsPerSecond: number | null;
	wpConcurrency: number;
	wpBatchSize: number;
	workers: number;
	retryScheduleMs: number[];
	logRetentionDays: number;
	stormRatePerSecond: number;
	stormSettleMs: number;
	stormSettleCapMs: number;
	shutdownGraceMs: number;
}

/** What a computed default may look at: the settings above it in the table, and the process. */
export interface DefaultContext {
	values: Partial< SettingValues >;
	env: Record< string, string | undefined >;
	/** Effective user id; 0 is root. */
	uid: number;
	home: string;
	cwd: string;
}

export interface Setting< T > {
	/** `--<flag>` on the command line; null: not a flag (a secret must not be visible in `ps`). */
	flag: string | null;
	env: string | null;
	/** Its key in `<data-dir>/config.json`; null: not read from the file. */
	file: string | null;
	/** The raw default, or undefined when there is none (then the value is null, or required). */
	fallback: ( context: DefaultContext ) => string | undefined;
	/** How `--help` shows the default. */
	defaultText: string;
	/** Without a value the bridge cannot talk to its site. */
	siteLink?: true;
	parse: ( raw: string, context: DefaultContext ) => T;
	help: string;
}

type SettingTable = {
	[ K in keyof SettingValues ]: Setting< SettingValues[ K ] >;
};

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
// Below the 10 s a container runtime (and systemd's default is 90 s) waits between SIGTERM and
// SIGKILL, so running jobs are finished or put back before the process is killed.
const DEFAULT_SHUTDOWN_GRACE = '8s';
const MAX_SHUTDOWN_GRACE_MS = 5 * 60_000;

export const ROOT_DATA_DIR = '/var/lib/pulse-sync-bridge';

const fixed = ( raw: string ) => (): string => raw;
const none = (): undefined => undefined;
const integer =
	( min: number, max: number ) =>
	( raw: string ): number =>
		parseInteger( raw, min, max );

export const SETTINGS: SettingTable = {
	dataDir: {
		flag: 'data-dir',
		env: 'PULSE_SYNC_DATA_DIR',
		// config.json lives in this folder, so it cannot name another one.
		file: null,
		fallback: ( { uid, env, home } ) =>
			uid === 0
				? ROOT_DATA_DIR
				: path.join(
						env.XDG_STATE_HOME?.trim() ||
							path.join( home, '.local', 'state' ),
						'pulse-sync-bridge'
					),
		defaultText: `${ ROOT_DATA_DIR } as root, else $XDG_STATE_HOME/pulse-sync-bridge (~/.local/state/pulse-sync-bridge)`,
		parse: ( raw, { cwd } ) => path.resolve( cwd, raw ),
		help: 'Folder of config.json (written by `pair`) and of the SQLite database.',
	},
	host: {
		flag: 'host',
		env: 'PULSE_SYNC_BRIDGE_HOST',
		file: 'host',
		fallback: fixed( '127.0.0.1' ),
		defaultText: '127.0.0.1',
		parse: parseHost,
		help: 'Address to listen on. Loopback unless told otherwise; a public address needs TLS in front (docs/deploy.md).',
	},
	port: {
		flag: 'port',
		env: 'PULSE_SYNC_BRIDGE_PORT',
		file: 'port',
		fallback: fixed( '8787' ),
		defaultText: '8787',
		parse: integer( 0, 65535 ),
		help: 'TCP port to listen on (0: any free port).',
	},
	publicUrl: {
		flag: 'public-url',
		env: 'PULSE_SYNC_BRIDGE_PUBLIC_URL',
		file: 'publicUrl',
		fallback: ( { values } ) =>
			values.host === undefined || values.port === undefined
				? undefined
				: `http://${ values.host.includes( ':' ) ? `[${ values.host }]` : values.host }:${ values.port }`,
		defaultText: 'http://<host>:<port>',
		parse: parseHttpUrl,
		help: 'The URL the site uses to reach this bridge; `pair` tells it to the site.',
	},
	allowHttpSite: {
		flag: 'allow-http-site',
		env: 'PULSE_SYNC_ALLOW_HTTP_SITE',
		file: 'allowHttpSite',
		fallback: fixed( '0' ),
		defaultText: '0',
		parse: parseFlag,
		help: '1: also send to an http:// site on another machine (signed requests and generated passwords then cross the network unencrypted; only on a private network you trust). Loopback sites may always use http://.',
	},
	siteUrl: {
		flag: 'site-url',
		env: 'PULSE_SYNC_SITE_URL',
		file: 'siteUrl',
		fallback: none,
		defaultText: 'none; written by `pair`',
		siteLink: true,
		parse: ( raw, { values } ) =>
			parseSiteUrl( raw, values.allowHttpSite ?? false ),
		help: 'The WordPress site this bridge serves.',
	},
	secret: {
		flag: null,
		env: 'PULSE_SYNC_BRIDGE_SECRET',
		file: 'secret',
		fallback: none,
		defaultText: 'none; written by `pair`',
		siteLink: true,
		parse: parseSecret,
		help: 'The bridge secret shared with the site (whsec_…). Never a flag; `pair` stores it.',
	},
	previousSecret: {
		flag: null,
		env: null,
		file: 'previousSecret',
		fallback: none,
		defaultText: 'none',
		parse: parseSecret,
		help: 'Written by `pair` on a re-pair: the secret before the last rotation.',
	},
	previousSecretUntil: {
		flag: null,
		env: null,
		file: 'previousSecretUntil',
		fallback: none,
		defaultText: 'none',
		parse: parseTime,
		help: 'Written by `pair`: until when requests signed with previousSecret are accepted.',
	},
	dbPath: {
		flag: 'db',
		env: 'PULSE_SYNC_BRIDGE_DB',
		file: 'db',
		fallback: ( { values } ) =>
			values.dataDir === undefined
				? undefined
				: path.join( values.dataDir, 'bridge.db' ),
		defaultText: '<data-dir>/bridge.db',
		parse: ( raw, { cwd } ) => path.resolve( cwd, raw ),
		help: 'The SQLite file: queue, delivery log, CRM tokens (mode 0600).',
	},
	databaseUrl: {
		flag: 'database',
		env: 'PULSE_SYNC_DATABASE_URL',
		file: 'database',
		fallback: none,
		defaultText: 'none (SQLite, --db)',
		parse: parsePostgresUrl,
		help: 'A postgres://… database shared by several bridges of one site: queue, delivery log, CRM tokens, replay guard and storm meter there instead of the SQLite file. Give its password in PGPASSWORD or ~/.pgpass, not in the URL.',
	},
	queueLeaseMs: {
		flag: 'queue-lease',
		env: 'PULSE_SYNC_QUEUE_LEASE',
		file: 'queueLease',
		// Far longer than a job takes (its CRM and WordPress calls time out within a minute).
		fallback: fixed( '5m' ),
		defaultText: '5m',
		parse: ( raw ) => parseBoundedDuration( raw, 60 * 60_000 ),
		help: 'With --database: how long a job of a bridge that died stays taken before another bridge runs it (set when the first bridge creates the queue).',
	},
	crmConcurrency: {
		flag: 'crm-concurrency',
		env: 'PULSE_SYNC_CRM_CONCURRENCY',
		file: 'crmConcurrency',
		// What the bench runs: with the CRM at 150 ms a job waits some 300 ms on it (contact and
		// tags at once, then Return Password), so 78 users/s needs about 24 jobs with two calls each.
		fallback: fixed( '64' ),
		defaultText: '64',
		parse: integer( 1, 64 ),
		help: 'CRM calls in flight at once, for one CRM account.',
	},
	crmRequestsPerSecond: {
		flag: 'crm-requests-per-second',
		env: 'PULSE_SYNC_CRM_REQUESTS_PER_SECOND',
		file: 'crmRequestsPerSecond',
		fallback: none,
		defaultText: 'none',
		parse: integer( 1, 100_000 ),
		help: "Ceiling on CRM calls per second, for an owner who knows the plan's limit. Without it the pace adapts: it slows down on the CRM's 429 (waiting out Retry-After) and on bursts of timeouts or 5xx, and speeds up again step by step.",
	},
	// The most user-write requests at once; the bridge starts at one and adapts up to this
	// (wordpress/write-concurrency.ts). Two, because the writes share the 4 workers of the
	// PHP-FPM pool of deploy/php-fpm/pulse-sync.conf with the webhooks, 2 of which may wait.
	wpConcurrency: {
		flag: 'wp-concurrency',
		env: 'PULSE_SYNC_WP_CONCURRENCY',
		file: 'wpConcurrency',
		fallback: fixed( '2' ),
		defaultText: '2',
		parse: integer( 1, 64 ),
		help: 'Most user-write requests to WordPress at once; the bridge adapts between 1 and this to how fast WordPress answers.',
	},
	wpBatchSize: {
		flag: 'wp-batch-size',
		env: 'PULSE_SYNC_WP_BATCH_SIZE',
		file: 'wpBatchSize',
		fallback: fixed( '50' ),
		defaultText: '50',
		parse: integer( 1, 50 ),
		help: "Most user writes in one request (1-50; keep it at most the plugin's pulse_sync_bridge_batch_max).",
	},
	workers: {
		flag: 'workers',
		env: 'PULSE_SYNC_WORKERS',
		file: 'workers',
		// Enough jobs waiting on a 150 ms CRM to keep the batched user write full (see crmConcurrency).
		fallback: fixed( '48' ),
		defaultText: '48',
		parse: integer( 1, 64 ),
		help: 'Jobs run at once.',
	},
	retryScheduleMs: {
		flag: 'retry-schedule',
		env: 'PULSE_SYNC_RETRY_SCHEDULE',
		file: 'retrySchedule',
		fallback: fixed( DEFAULT_RETRY_SCHEDULE ),
		defaultText: DEFAULT_RETRY_SCHEDULE,
		parse: parseSchedule,
		help: 'Delay before each retry (ms, s, m, h; "none": no retries); a job gets one attempt more than the list is long.',
	},
	logRetentionDays: {
		flag: 'log-retention-days',
		env: 'PULSE_SYNC_LOG_RETENTION_DAYS',
		file: 'logRetentionDays',
		fallback: fixed( '30' ),
		defaultText: '30',
		parse: integer( 1, 3650 ),
		help: 'Days a finished delivery stays in the log.',
	},
	stormRatePerSecond: {
		flag: 'storm-rate',
		env: 'PULSE_SYNC_STORM_RATE',
		file: 'stormRate',
		fallback: fixed( '20' ),
		defaultText: '20',
		parse: integer( 0, 100_000 ),
		help: 'Deliveries per second that make a storm (0: never a storm).',
	},
	stormSettleMs: {
		flag: 'storm-settle',
		env: 'PULSE_SYNC_STORM_SETTLE',
		file: 'stormSettle',
		fallback: fixed( DEFAULT_STORM_SETTLE ),
		defaultText: DEFAULT_STORM_SETTLE,
		parse: ( raw ) => parseBoundedDuration( raw, MAX_STORM_SETTLE_MS ),
		help: 'During a storm, how long an update waits for its contact to be quiet (0s: never waits).',
	},
	stormSettleCapMs: {
		flag: 'storm-settle-cap',
		env: 'PULSE_SYNC_STORM_SETTLE_CAP',
		file: 'stormSettleCap',
		fallback: fixed( DEFAULT_STORM_SETTLE_CAP ),
		defaultText: DEFAULT_STORM_SETTLE_CAP,
		parse: ( raw ) => parseBoundedDuration( raw, MAX_STORM_SETTLE_CAP_MS ),
		help: 'The longest a settling update waits from its first delivery (at least the settle time).',
	},
	shutdownGraceMs: {
		flag: 'shutdown-grace',
		env: 'PULSE_SYNC_SHUTDOWN_GRACE',
		file: 'shutdownGrace',
		fallback: fixed( DEFAULT_SHUTDOWN_GRACE ),
		defaultText: DEFAULT_SHUTDOWN_GRACE,
		parse: ( raw ) => parseBoundedDuration( raw, MAX_SHUTDOWN_GRACE_MS ),
		help: 'On SIGTERM/SIGINT, how long running jobs may finish before they are put back in the queue.',
	},
};

export const SETTING_NAMES = Object.keys(
	SETTINGS
) as ( keyof SettingValues )[];
