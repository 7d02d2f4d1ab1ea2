import { inTransaction, lockUntilCommit, type PgPool } from '../pg-database';

/**
 * The bridge's own tables in PostgreSQL: what pg-boss does not hold. pg-boss owns the job
 * lifecycle (which contact runs where, leases, its retries: pg-queue-engine.ts); these rows hold
 * the merged intent of a contact's job, its attempts, result and sealed password, and the
 * delivery log, the CRM tokens (pg-token-store.ts), the webhook-ids seen (pg-replay-store.ts),
 * the storm meter's counts (pg-storm-counts.ts), the import runs (imports/pg-run-store.ts) and
 * the CRM pace that the bridges share (pg-pace-share.ts). Same tables and columns as the SQLite
 * file (schema.ts) but the pace's, in the site's schema (the pool's search_path, pg-database.ts:
 * `pulse_sync` for the first site), so the read side's SQL is shared; times are unix ms in BIGINT.
 */
const MIGRATIONS: readonly string[] = [
	`
		CREATE TABLE jobs (
			id BIGSERIAL PRIMARY KEY,
			contact_id BIGINT NOT NULL,
			action TEXT NOT NULL,
			send_notification INTEGER NOT NULL,
			role TEXT,
			primary_delivery_id TEXT NOT NULL,
			request_id TEXT NOT NULL,
			state TEXT NOT NULL CHECK (state IN ('queued', 'in_progress', 'done', 'failed')),
			claims INTEGER NOT NULL DEFAULT 0,
			attempts INTEGER NOT NULL DEFAULT 0,
			next_attempt_at BIGINT NOT NULL,
			created_at BIGINT NOT NULL,
			sealed_password TEXT,
			result_status TEXT,
			user_id BIGINT,
			result_reason TEXT,
			error_code TEXT,
			error_message TEXT,
			error_http_status INTEGER,
			finished_at BIGINT
		);
		CREATE INDEX jobs_by_contact ON jobs (contact_id, state, id);
		CREATE INDEX jobs_by_state ON jobs (state, next_attempt_at);

		CREATE TABLE deliveries (
			seq BIGSERIAL PRIMARY KEY,
			id TEXT NOT NULL UNIQUE,
			job_id BIGINT NOT NULL REFERENCES jobs (id),
			merged_into TEXT,
			received_at TEXT NOT NULL,
			accepted_at BIGINT NOT NULL,
			action TEXT NOT NULL,
			contact_id BIGINT NOT NULL,
			params TEXT NOT NULL,
			send_notification INTEGER NOT NULL,
			role TEXT,
			source_ip TEXT,
			source TEXT NOT NULL DEFAULT 'webhook',
			email TEXT
		);
		CREATE INDEX deliveries_by_job ON deliveries (job_id);
		CREATE INDEX deliveries_by_contact ON deliveries (contact_id);
		CREATE INDEX deliveries_by_email ON deliveries (lower(email));

		CREATE TABLE attempts (
			delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
			n INTEGER NOT NULL,
			started_at BIGINT NOT NULL,
			duration_ms INTEGER NOT NULL,
			error_code TEXT,
			error_message TEXT,
			PRIMARY KEY (delivery_id, n)
		);

		CREATE TABLE crm_tokens (
			account_url TEXT NOT NULL,
			portal_url TEXT NOT NULL,
			client_id TEXT NOT NULL,
			sealed TEXT NOT NULL,
			PRIMARY KEY (account_url, portal_url, client_id)
		);

		CREATE TABLE seen_webhook_ids (
			id TEXT PRIMARY KEY,
			until_ms BIGINT NOT NULL
		);

		CREATE TABLE storm_slots (
			slot BIGINT PRIMARY KEY,
			n INTEGER NOT NULL
		);
	`,
	// Import, resync and reconciliation runs (imports/pg-run-store.ts), as in schema.ts.
	`
		CREATE TABLE import_runs (
			id BIGSERIAL PRIMARY KEY,
			kind TEXT NOT NULL CHECK (kind IN ('import', 'resync', 'reconcile')),
			tag_id BIGINT,
			role TEXT,
			send_notification INTEGER NOT NULL DEFAULT 0,
			mapped_fields INTEGER NOT NULL DEFAULT 0,
			state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'cancelled', 'completed', 'failed')),
			cursor BIGINT NOT NULL DEFAULT 0,
			last_page INTEGER,
			total INTEGER,
			fed_all INTEGER NOT NULL DEFAULT 0,
			error TEXT,
			created_at BIGINT NOT NULL,
			updated_at BIGINT NOT NULL,
			finished_at BIGINT
		);
		CREATE INDEX import_runs_by_state ON import_runs (state);
		CREATE TABLE import_items (
			run_id BIGINT NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
			contact_id BIGINT NOT NULL,
			delivery_id TEXT,
			PRIMARY KEY (run_id, contact_id)
		);
		CREATE TABLE import_schedule (
			name TEXT PRIMARY KEY,
			next_run_at BIGINT NOT NULL
		);
	`,
	// A CRM account's pace shared by the bridges (pg-pace-share.ts); PostgreSQL only, since one
	// bridge on SQLite keeps its pace in memory. The state is the JSON of crm/pace-share.ts's
	// PaceState, changed only as a whole; next_start_at is the account's sequence of starts (ms,
	// fractional: spacing is 1000 / pace).
	`
		CREATE TABLE crm_pace (
			account_url TEXT PRIMARY KEY,
			state JSONB NOT NULL,
			next_start_at DOUBLE PRECISION NOT NULL DEFAULT 0
		);
		CREATE TABLE crm_pace_sharers (
			account_url TEXT NOT NULL,
			sharer TEXT NOT NULL,
			seen_at BIGINT NOT NULL,
			PRIMARY KEY (account_url, sharer)
		);
	`,
];

/**
 * Brings one site's schema to the latest version, one transaction per step, counted in its
 * `schema_version` table. Bridges starting together take turns (a lock held per step).
 * @param pool   A pool whose search_path is the schema (pg-database.ts, openPgPool).
 * @param schema The schema (SiteSchemas.tables).
 */
export async function migratePg(
	pool: PgPool,
	schema: string
): Promise< void > {
	await inTransaction( pool, async ( client ) => {
		await lockUntilCommit( client, 'migrate', schema );
		await client.query(
			`CREATE SCHEMA IF NOT EXISTS ${ client.escapeIdentifier( schema ) }`
		);
		await client.query(
			'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)'
		);
	} );
	for ( let step = 0; step < MIGRATIONS.length; step++ ) {
		await inTransaction( pool, async ( client ) => {
			await lockUntilCommit( client, 'migrate', schema );
			const { rows } = await client.query< { version: number } >(
				'SELECT COALESCE(MAX(version), 0) AS version FROM schema_version'
			);
			if ( ( rows[ 0 ]?.version ?? 0 ) > step ) {
				return;
			}
			await client.query( MIGRATIONS[ step ] as string );
			await client.query(
				'INSERT INTO schema_version (version) VALUES ($1)',
				[ step + 1 ]
			);
		} );
	}
}
