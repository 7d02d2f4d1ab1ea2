/**
 * What `pulse-sync-bridge check` reads from a shared PostgreSQL database (`--database`): who the
 * server says we are, the schema version the bridges migrated to, the CRM tokens and the queue's
 * counts. Read only, and pg-boss is never started. checks.ts holds the checks themselves and
 * requires this file only for a database, so a bridge on SQLite never loads the driver.
 */
import type { TokenVault } from '../crm-token-store';
import { openPgPool } from '../pg-database';
import { pgTokenVault } from '../pg-token-store';
import { PgDeliveryLog } from '../queue/pg-delivery-log';
import { ContactQueueEngine } from '../queue/pg-queue-engine';
import type { QueueStats } from '../queue/queue';
import type { SecretBox } from '../secret-box';

export interface PgCheckStore {
	/** Throws when the database does not answer. */
	server: () => Promise< { user: string; version: string } >;
	/** 0 when no bridge has migrated the database yet. */
	schemaVersion: () => Promise< number >;
	tokens: ( box: SecretBox ) => TokenVault;
	queueStats: () => Promise< QueueStats >;
	close: () => Promise< void >;
}

/** @param url The `postgres://…` database. */
export function openPgCheckStore( url: string ): PgCheckStore {
	const pool = openPgPool( url, 1 );
	return {
		async server() {
			const { rows } = await pool.query< {
				user: string;
				version: string;
			} >(
				"SELECT current_user AS user, current_setting('server_version') AS version"
			);
			return rows[ 0 ] as { user: string; version: string };
		},
		async schemaVersion() {
			const table = await pool.query< { present: boolean } >(
				"SELECT to_regclass('pulse_sync.schema_version') IS NOT NULL AS present"
			);
			if ( table.rows[ 0 ]?.present !== true ) {
				return 0;
			}
			const { rows } = await pool.query< { version: number | null } >(
				'SELECT MAX(version) AS version FROM pulse_sync.schema_version'
			);
			return rows[ 0 ]?.version ?? 0;
		},
		tokens: ( box ) => pgTokenVault( pool, box ),
		// The log's counts need no pg-boss: the engine is only there for the type, never started.
		queueStats: () =>
			new PgDeliveryLog(
				pool,
				new ContactQueueEngine( url ),
				Date.now
			).stats(),
		close: () => pool.end(),
	};
}
