import type { BridgeConfig } from './config';
import type { PaceShareFor } from './crm-pacers';
import { sqliteTokenVault, type TokenVault } from './crm-token-store';
import { openDatabase } from './database';
import type { RunStore } from './imports/run-store';
import { SqliteRunStore } from './imports/sqlite-run-store';
import type { Logger } from './log';
import type { SiteSchemas } from './site-schemas';
import type { Queue } from './queue/queue';
import { SqliteQueue } from './queue/sqlite-queue';
import type { SharedReplays } from './replay-guard';
import { resealLegacyRows, type SealedRowBoxes } from './sealed-rows';
import type { SharedStormCounts } from './storm';

/**
 * Where the bridge keeps its state: the SQLite file (`--db`, the default: one bridge), or a
 * PostgreSQL database (`--database`) that several bridges share, in a schema per site.
 */
export interface BridgeStores {
	queue: Queue;
	tokens: TokenVault;
	/** Import, resync and reconciliation runs, beside the queue they feed. */
	runs: RunStore;
	/** The webhook-ids and storm counts of all bridges; absent for one bridge (SQLite). */
	replays?: SharedReplays;
	stormCounts?: SharedStormCounts;
	/** Where each CRM account's pace is shared by all bridges; absent for one bridge (SQLite). */
	paceShare?: PaceShareFor;
	/** For `/v1/ready`: whether the store is open. */
	isOpen: () => boolean;
	/** For the start-up log line: which store, without credentials. */
	description: string;
	close: () => Promise< void >;
}

/**
 * Opens (and migrates) one site's store.
 * @param config  The bridge's configuration, with the site's own SQLite file as `dbPath`.
 * @param schemas The site's schemas, when the store is PostgreSQL (pg-database.ts).
 * @param boxes   The boxes of the CRM tokens and of the job passwords.
 * @param logger  Where start-up repairs are logged.
 */
export async function openStores(
	config: BridgeConfig,
	schemas: SiteSchemas,
	boxes: SealedRowBoxes,
	logger: Logger
): Promise< BridgeStores > {
	if ( config.databaseUrl !== null ) {
		// Imported here: the driver and pg-boss cost a bridge on SQLite (the default) about 12 MB of
		// memory it would never use (README, "The bridge's memory").
		const { openPgStores } =
			require( './pg-stores' ) as typeof import( './pg-stores' );
		return openPgStores(
			{ url: config.databaseUrl, leaseMs: config.queueLeaseMs },
			schemas,
			boxes,
			logger
		);
	}
	const db = openDatabase( config.dbPath );
	const queue = new SqliteQueue( db );
	const resealed = resealLegacyRows( db, boxes );
	if ( resealed > 0 ) {
		logger.log( 'info', 'secrets.bound_to_rows', { values: resealed } );
	}
	return {
		queue,
		tokens: sqliteTokenVault( db, boxes.tokens ),
		runs: new SqliteRunStore( db ),
		isOpen: () => db.open,
		description: config.dbPath,
		close: async () => {
			db.close();
		},
	};
}
