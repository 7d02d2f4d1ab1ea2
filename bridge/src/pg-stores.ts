/**
 * A site's store on PostgreSQL (`--database`), which several bridges share: the queue and
 * pg-boss in the site's schemas, the CRM tokens, the import runs, and what the bridges share
 * (the webhook-ids seen, the storm counts, the CRM pace). stores.ts imports it only when a
 * database is configured.
 */
import { PgRunStore } from './imports/pg-run-store';
import type { Logger } from './log';
import { PgPaceShare } from './pg-pace-share';
import { PgReplayStore } from './pg-replay-store';
import { PgStormCounts } from './pg-storm-counts';
import { pgTokenVault } from './pg-token-store';
import { PgQueue } from './queue/pg-queue';
import { DEFAULT_ENGINE_OPTIONS } from './queue/pg-queue-engine';
import type { SealedRowBoxes } from './sealed-rows';
import type { SiteSchemas } from './site-schemas';
import type { BridgeStores } from './stores';

/**
 * Opens (and migrates) one site's store on PostgreSQL.
 * @param database         The database and the queue's lease.
 * @param database.url     The `postgres://…` connection string.
 * @param database.leaseMs PULSE_SYNC_QUEUE_LEASE_MS (pg-boss counts whole seconds).
 * @param schemas          The site's schemas (site-schemas.ts).
 * @param boxes            The boxes of the CRM tokens and of the job passwords.
 * @param logger           Where the shared pace logs a failed read.
 */
export async function openPgStores(
	database: { url: string; leaseMs: number },
	schemas: SiteSchemas,
	boxes: SealedRowBoxes,
	logger: Logger
): Promise< BridgeStores > {
	const queue = await PgQueue.open(
		database.url,
		Date.now,
		{
			leaseSeconds: Math.max( 1, Math.round( database.leaseMs / 1000 ) ),
			maintenanceSeconds: DEFAULT_ENGINE_OPTIONS.maintenanceSeconds,
		},
		schemas
	);
	let open = true;
	const url = new URL( database.url );
	return {
		queue,
		tokens: pgTokenVault( queue.pool, boxes.tokens ),
		runs: new PgRunStore( queue.pool ),
		replays: new PgReplayStore( queue.pool ),
		stormCounts: new PgStormCounts( queue.pool ),
		paceShare: ( apiBase ) =>
			new PgPaceShare( queue.pool, apiBase, logger ),
		isOpen: () => open,
		description: `postgres://${ url.host }${ url.pathname } (schema ${ schemas.tables })`,
		close: async () => {
			open = false;
			await queue.close();
		},
	};
}
