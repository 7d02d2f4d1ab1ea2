import { z } from 'zod/mini';

/**
 * docs/architecture.md, "Import, resync and reconciliation": a run as `GET /v1/imports/{id}`
 * serves it (and the panel's `/imports…` routes pass it on).
 */

export const RUN_KINDS = [ 'import', 'resync', 'reconcile' ] as const;
export const RunKind = z.enum( RUN_KINDS );
export type RunKind = z.infer< typeof RunKind >;

export const RUN_STATES = [
	'running',
	'paused',
	'cancelled',
	'completed',
	'failed',
] as const;
export const RunState = z.enum( RUN_STATES );
export type RunState = z.infer< typeof RunState >;

const Count = z.int().check( z.nonnegative() );

/** What the run's deliveries came to so far, read from their jobs. */
export const ImportCounts = z.object( {
	/** Contacts the run has taken from its list. */
	found: Count,
	processed: Count,
	created: Count,
	updated: Count,
	skipped: Count,
	failed: Count,
	/** Queued or running now. */
	queued: Count,
} );
export type ImportCounts = z.infer< typeof ImportCounts >;

export const ImportRun = z.object( {
	id: z.int(),
	kind: RunKind,
	state: RunState,
	tag_id: z.nullable( z.int() ),
	role: z.nullable( z.string() ),
	send_notification: z.boolean(),
	mapped_fields: z.boolean(),
	/** Contacts the list held when the run started (null until known). */
	total: z.nullable( z.int() ),
	counts: ImportCounts,
	/** True once every page of the list was taken. */
	all_found: z.boolean(),
	error: z.nullable( z.string() ),
	created_at: z.string(),
	finished_at: z.nullable( z.string() ),
} );
export type ImportRun = z.infer< typeof ImportRun >;
