import { z } from 'zod/mini';

/** docs/architecture.md, `GET /v1/status`: the queue, the CRM connection and its pace. */

export const QueueStats = z.object( {
	pending: z.int(),
	in_progress: z.int(),
	failed: z.int(),
	done: z.int(),
	oldest_pending_at: z.nullable( z.string() ),
} );
export type QueueStats = z.infer< typeof QueueStats >;

/** The bridge's adaptive CRM pace (docs/architecture.md, "CRM pacing"). */
export const CrmPace = z.object( {
	/** Request starts per second allowed now; null: not paced (no limit met, no ceiling). */
	requests_per_second: z.nullable( z.number() ),
	/** The owner's ceiling (`PULSE_SYNC_CRM_REQUESTS_PER_SECOND`), or null. */
	ceiling: z.nullable( z.number() ),
	/** Requests started in the last second. */
	current_per_second: z.number(),
	/** The CRM answered 429 in the last minute: the CRM sets the pace. */
	limited_by_crm: z.boolean(),
	last_limited_at: z.nullable( z.string() ),
} );
export type CrmPace = z.infer< typeof CrmPace >;

/** The `crm` object of `/v1/status`, `/v1/crm/oauth/exchange` and `/v1/crm/disconnect`. */
export const CrmStatus = z.object( {
	connected: z.boolean(),
	account_url: z.nullable( z.string() ),
	expires_at: z.nullable( z.string() ),
	last_error: z.nullable( z.string() ),
	/** Null until the CRM credentials are entered. */
	pace: z.nullable( CrmPace ),
} );
export type CrmStatus = z.infer< typeof CrmStatus >;
