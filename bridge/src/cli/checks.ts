import fs from 'node:fs';
import type * as PgCheckStoreModule from './pg-check-store';
import type { BridgeConfig } from '../config';
import { CrmConnection } from '../crm-connection';
import { sqliteTokenVault, type TokenVault } from '../crm-token-store';
import { openDatabase } from '../database';
import { silentLogger } from '../log';
import type { QueueStats } from '../queue/queue';
import { SqliteQueue } from '../queue/sqlite-queue';
import { SecretBox } from '../secret-box';
import { parseSettings, type BridgeSettings } from '../settings';
import { SiteLink } from '../site-link';
import { WordPressClient, WordPressError } from '../wordpress/client';

/** One line of `status` and `doctor`. */
export interface Check {
	name: string;
	ok: boolean;
	detail: string;
	/** What to do when it fails (doctor prints it). */
	fix: string;
}

const PAIR_FIX =
	'open Pulse Sync » Status » Pair a bridge on the site and run the command shown there: `pulse-sync-bridge pair <site-url> --code CODE`';
const READY_TIMEOUT_MS = 3000;

/**
 * The checks behind `status` and `doctor`, in order: paired, bridge running, site reachable,
 * signature accepted, (on PostgreSQL: database reachable, schema,) CRM connected (tokens in the
 * database), queue. A check that depends on a failed one says so instead of running.
 * @param config The bridge's configuration.
 */
export async function runChecks( config: BridgeConfig ): Promise< Check[] > {
	const paired = config.siteUrl !== null && config.secrets.length > 0;
	const checks: Check[] = [
		{
			name: 'paired',
			ok: paired,
			detail: paired
				? `with ${ config.siteUrl } (${ configSource( config ) })`
				: 'no site URL or bridge secret',
			fix: PAIR_FIX,
		},
		await runningCheck( config ),
	];
	const site = paired ? await siteChecks( config ) : null;
	checks.push(
		site?.reachable ?? skipped( 'site reachable', 'not paired', PAIR_FIX ),
		site?.signature ??
			skipped( 'signature accepted', 'not paired', PAIR_FIX ),
		...( await databaseChecks( config, site?.settings ?? null ) )
	);
	return checks;
}

function configSource( config: BridgeConfig ): string {
	return process.env.PULSE_SYNC_BRIDGE_SECRET
		? 'secret from PULSE_SYNC_BRIDGE_SECRET'
		: `secret from ${ config.dataDir }/config.json`;
}

function skipped( name: string, why: string, fix: string ): Check {
	return { name, ok: false, detail: `not checked: ${ why }`, fix };
}

async function runningCheck( config: BridgeConfig ): Promise< Check > {
	// A bridge listening on every address is asked on loopback.
	const host = [ '0.0.0.0', '::' ].includes( config.host )
		? '127.0.0.1'
		: config.host;
	const url = `http://${ host.includes( ':' ) ? `[${ host }]` : host }:${ config.port }/v1/ready`;
	const check = {
		name: 'bridge running',
		fix: 'start it: `pulse-sync-bridge start` (or `systemctl start pulse-sync-bridge`), with the same --data-dir, --host and --port',
	};
	try {
		const response = await fetch( url, {
			signal: AbortSignal.timeout( READY_TIMEOUT_MS ),
		} );
		const body = ( await response.json().catch( () => ( {} ) ) ) as {
			site_configured?: boolean;
		};
		return {
			...check,
			ok: response.status === 200,
			detail:
				response.status === 200
					? `ready at ${ url }`
					: `answers ${ response.status } at ${ url }${ body.site_configured === false ? ' (not paired when it last read config.json)' : '' }`,
			...( response.status !== 200 && { fix: PAIR_FIX } ),
		};
	} catch ( error ) {
		return {
			...check,
			ok: false,
			detail: `nothing answers at ${ url } (${ ( error as Error ).message })`,
		};
	}
}

async function siteChecks( config: BridgeConfig ): Promise< {
	reachable: Check;
	signature: Check;
	settings: BridgeSettings | null;
} > {
	const link = new SiteLink( config );
	const client = new WordPressClient( () => link.siteUrl(), link, 1, 1 );
	const reachable = {
		name: 'site reachable',
		fix: `check that ${ config.siteUrl } answers from this host (DNS, firewall, TLS) and that Pulse Sync is active there`,
	};
	const signature = {
		name: 'signature accepted',
		fix: `the site has another bridge secret: pair again (${ PAIR_FIX })`,
	};
	try {
		const settings = parseSettings( await client.fetchSettings() );
		return {
			reachable: {
				...reachable,
				ok: true,
				detail: config.siteUrl as string,
			},
			signature: {
				...signature,
				ok: true,
				detail: 'the site accepted a signed request',
			},
			settings,
		};
	} catch ( error ) {
		const code = error instanceof WordPressError ? error.code : 'error';
		const message = ( error as Error ).message;
		if ( code === 'wordpress_rejected_signature' ) {
			return {
				reachable: {
					...reachable,
					ok: true,
					detail: config.siteUrl as string,
				},
				signature: { ...signature, ok: false, detail: message },
				settings: null,
			};
		}
		return {
			reachable: { ...reachable, ok: false, detail: message },
			signature: skipped(
				signature.name,
				'the site did not answer',
				signature.fix
			),
			settings: null,
		};
	}
}

const CRM_FIX =
	'in wp-admin, open Pulse Sync » CRM connection, enter the account URL and client credentials and connect';
const POSTGRES_FIX =
	'check that PostgreSQL runs and accepts this host, that the role and database exist, and that the password is in PGPASSWORD or ~/.pgpass (docs/deploy.md, "PostgreSQL")';
const START_FIX = 'start the bridge: `pulse-sync-bridge start`';

function databaseChecks(
	config: BridgeConfig,
	settings: BridgeSettings | null
): Promise< Check[] > {
	return config.databaseUrl === null
		? sqliteChecks( config, settings )
		: postgresChecks( config, config.databaseUrl, settings );
}

async function sqliteChecks(
	config: BridgeConfig,
	settings: BridgeSettings | null
): Promise< Check[] > {
	if ( ! fs.existsSync( config.dbPath ) ) {
		const why = `no database at ${ config.dbPath } yet (the bridge never started with this --data-dir / --db)`;
		return [
			skipped( 'CRM connected', why, CRM_FIX ),
			{ name: 'queue', ok: false, detail: why, fix: START_FIX },
		];
	}
	const db = openDatabase( config.dbPath );
	try {
		return [
			await crmCheck(
				sqliteTokenVault( db, tokenBox( config ) ),
				settings
			),
			queueCheck( await new SqliteQueue( db ).stats() ),
		];
	} finally {
		db.close();
	}
}

/**
 * The shared database (`--database`): reachable with this host's credentials, migrated by a
 * bridge, then the same CRM and queue checks as on SQLite. Read only: a check never migrates
 * (the bridges do, in turn, when they start) and never starts pg-boss.
 * @param config   The bridge's configuration.
 * @param url      The `postgres://…` database.
 * @param settings The site's settings, null when they could not be read.
 */
async function postgresChecks(
	config: BridgeConfig,
	url: string,
	settings: BridgeSettings | null
): Promise< Check[] > {
	const where = withoutCredentials( url );
	// Required here: a bridge on SQLite never loads the PostgreSQL driver (stores.ts).
	const { openPgCheckStore } =
		require( './pg-check-store' ) as typeof PgCheckStoreModule;
	const store = openPgCheckStore( url );
	try {
		let server: { user: string; version: string };
		try {
			server = await store.server();
		} catch ( error ) {
			const why = 'the database did not answer';
			return [
				{
					name: 'database reachable',
					ok: false,
					detail: `${ where }: ${ ( error as Error ).message }`,
					fix: POSTGRES_FIX,
				},
				skipped( 'schema', why, START_FIX ),
				skipped( 'CRM connected', why, CRM_FIX ),
				skipped( 'queue', why, START_FIX ),
			];
		}
		const reachable: Check = {
			name: 'database reachable',
			ok: true,
			detail: `${ where } as ${ server.user } (PostgreSQL ${ server.version })`,
			fix: POSTGRES_FIX,
		};
		const version = await store.schemaVersion();
		if ( version === 0 ) {
			const why = `no Pulse Sync schema in ${ where } yet (no bridge started with this --database)`;
			return [
				reachable,
				{ name: 'schema', ok: false, detail: why, fix: START_FIX },
				skipped( 'CRM connected', why, CRM_FIX ),
				skipped( 'queue', why, START_FIX ),
			];
		}
		return [
			reachable,
			{
				name: 'schema',
				ok: true,
				detail: `pulse_sync schema version ${ version }`,
				fix: START_FIX,
			},
			await crmCheck( store.tokens( tokenBox( config ) ), settings ),
			queueCheck( await store.queueStats() ),
		];
	} finally {
		await store.close();
	}
}

/** The URL as the start-up log shows it: host and database, never the user's password. */
function withoutCredentials( url: string ): string {
	const parsed = new URL( url );
	return `postgres://${ parsed.host }${ parsed.pathname }`;
}

function tokenBox( config: BridgeConfig ): SecretBox {
	return new SecretBox( () => config.secrets, 'crm-tokens-v1' );
}

function queueCheck( stats: QueueStats ): Check {
	return {
		name: 'queue',
		ok: true,
		detail: `${ stats.pending } waiting, ${ stats.in_progress } running, ${ stats.failed } failed${ stats.oldest_pending_at ? `, oldest waiting since ${ stats.oldest_pending_at }` : '' }`,
		fix: 'see the delivery log in Pulse Sync » Deliveries',
	};
}

/**
 * Connected means tokens for the site's CRM account are in the database and open with this
 * bridge's secrets; it needs the account URL from the site's settings.
 * @param tokens   The tokens in the bridge's database, opened with its secrets.
 * @param settings The site's settings, null when they could not be read.
 */
async function crmCheck(
	tokens: TokenVault,
	settings: BridgeSettings | null
): Promise< Check > {
	const fix = CRM_FIX;
	const name = 'CRM connected';
	if ( settings === null ) {
		return skipped( name, 'the site settings could not be read', fix );
	}
	if ( settings.crm === null ) {
		return {
			name,
			ok: false,
			detail: 'the CRM account URL or client credentials are not entered',
			fix,
		};
	}
	const status = await new CrmConnection(
		tokens,
		{ concurrency: 1, ceiling: 1 },
		silentLogger
	).status( settings.crm );
	return {
		name,
		ok: status.connected,
		detail: status.connected
			? `${ status.account_url }${ status.expires_at ? `, access token until ${ status.expires_at }` : '' }`
			: `no usable tokens for ${ status.account_url }${ status.last_error ? ` (${ status.last_error })` : '' }`,
		fix,
	};
}
