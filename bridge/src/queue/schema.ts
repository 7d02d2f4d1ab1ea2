import type { Db } from '../database';

/**
 * Tables of the SQLite queue. A job is the work for one contact; deliveries point at the job
 * that carries them; attempts are logged per delivery so a replayed delivery keeps its history.
 * Times are unix milliseconds except `received_at`, which is the plugin's ISO-8601 string.
 */
const MIGRATIONS: readonly string[] = [
	`
		CREATE TABLE jobs (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			contact_id INTEGER NOT NULL,
			action TEXT NOT NULL,
			send_notification INTEGER NOT NULL,
			role TEXT,
			primary_delivery_id TEXT NOT NULL,
			request_id TEXT NOT NULL,
			state TEXT NOT NULL CHECK (state IN ('queued', 'in_progress', 'done', 'failed')),
			claims INTEGER NOT NULL DEFAULT 0,
			attempts INTEGER NOT NULL DEFAULT 0,
			next_attempt_at INTEGER NOT NULL,
			sealed_password TEXT,
			result_status TEXT,
			user_id INTEGER,
			result_reason TEXT,
			error_code TEXT,
			error_message TEXT,
			error_http_status INTEGER,
			finished_at INTEGER
		);
		CREATE INDEX jobs_by_state ON jobs (state, next_attempt_at);
		CREATE INDEX jobs_by_contact ON jobs (contact_id, state);

		CREATE TABLE deliveries (
			seq INTEGER PRIMARY KEY AUTOINCREMENT,
			id TEXT NOT NULL UNIQUE,
			job_id INTEGER NOT NULL REFERENCES jobs (id),
			merged_into TEXT,
			received_at TEXT NOT NULL,
			accepted_at INTEGER NOT NULL,
			action TEXT NOT NULL,
			contact_id INTEGER NOT NULL,
			params TEXT NOT NULL,
			send_notification INTEGER NOT NULL,
			role TEXT,
			source_ip TEXT,
			email TEXT
		);
		CREATE INDEX deliveries_by_job ON deliveries (job_id);
		CREATE INDEX deliveries_by_contact ON deliveries (contact_id);
		CREATE INDEX deliveries_by_email ON deliveries (email);

		CREATE TABLE attempts (
			delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
			n INTEGER NOT NULL,
			started_at INTEGER NOT NULL,
			duration_ms INTEGER NOT NULL,
			error_code TEXT,
			error_message TEXT,
			PRIMARY KEY (delivery_id, n)
		);

		CREATE TABLE crm_tokens (
			account_url TEXT PRIMARY KEY,
			sealed TEXT NOT NULL
		);

	`,
	// Claims walk queued jobs in id order and stop at the first free contact; an index on
	// (state, next_attempt_at) made SQLite sort every due job for each claim instead.
	`
		DROP INDEX jobs_by_state;
		CREATE INDEX jobs_in_order ON jobs (state, id);
	`,
	// When a job's first delivery was accepted: a storm's settle wait is capped from it
	// (settle.ts). Jobs that can still take deliveries were due when created, so their
	// next_attempt_at is that moment; for the others the value is never read.
	`
		ALTER TABLE jobs ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
		UPDATE jobs SET created_at = next_attempt_at;
	`,
	// CRM tokens keyed by account URL, portal URL and client id, so a changed portal or client
	// never receives the tokens (crm-token-store.ts). Rows from before keep their account URL
	// with client_id '' and are taken over once by the first credentials for that account.
	`
		CREATE TABLE crm_tokens_by_client (
			account_url TEXT NOT NULL,
			portal_url TEXT NOT NULL,
			client_id TEXT NOT NULL,
			sealed TEXT NOT NULL,
			PRIMARY KEY (account_url, portal_url, client_id)
		);
		INSERT INTO crm_tokens_by_client (account_url, portal_url, client_id, sealed)
			SELECT account_url, '', '', sealed FROM crm_tokens;
		DROP TABLE crm_tokens;
		ALTER TABLE crm_tokens_by_client RENAME TO crm_tokens;
	`,
	// Import, resync and reconciliation runs (bridge/src/imports/): a run, the contacts it queued
	// (each one delivery, so its counters come from the deliveries' outcomes), the daily
	// reconciliation's next time; and which source a delivery came from.
	`
		ALTER TABLE deliveries ADD COLUMN source TEXT NOT NULL DEFAULT 'webhook';
		CREATE TABLE import_runs (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			kind TEXT NOT NULL CHECK (kind IN ('import', 'resync', 'reconcile')),
			tag_id INTEGER,
			role TEXT,
			send_notification INTEGER NOT NULL DEFAULT 0,
			mapped_fields INTEGER NOT NULL DEFAULT 0,
			state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'cancelled', 'completed', 'failed')),
			cursor INTEGER NOT NULL DEFAULT 0,
			last_page INTEGER,
			total INTEGER,
			fed_all INTEGER NOT NULL DEFAULT 0,
			error TEXT,
			created_at INTEGER NOT NULL,
			updated_at INTEGER NOT NULL,
			finished_at INTEGER
		);
		CREATE INDEX import_runs_by_state ON import_runs (state);
		CREATE TABLE import_items (
			run_id INTEGER NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
			contact_id INTEGER NOT NULL,
			delivery_id TEXT,
			PRIMARY KEY (run_id, contact_id)
		);
		CREATE TABLE import_schedule (
			name TEXT PRIMARY KEY,
			next_run_at INTEGER NOT NULL
		);
	`,
];

/**
 * Brings the file to the latest schema, one transaction per step (`user_version` counts them).
 * @param db     The open database.
 * @param target The version to stop at (tests of a migration start from an older file).
 */
export function migrate( db: Db, target: number = MIGRATIONS.length ): void {
	const version = db.pragma( 'user_version', { simple: true } ) as number;
	MIGRATIONS.slice( version, target ).forEach( ( sql, index ) => {
		db.transaction( () => {
			db.exec( sql );
			db.pragma( `user_version = ${ version + index + 1 }` );
		} )();
	} );
}
