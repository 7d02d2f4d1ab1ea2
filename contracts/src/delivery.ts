import { z } from 'zod/mini';

/** docs/architecture.md, "Plugin → bridge": the `Delivery` the bridge's delivery log serves. */

export const DELIVERY_ACTIONS = [ 'add', 'update', 'update_tags' ] as const;
export const DeliveryAction = z.enum( DELIVERY_ACTIONS );
export type DeliveryAction = z.infer< typeof DeliveryAction >;

export const JOB_STATES = [
	'queued',
	'in_progress',
	'done',
	'failed',
] as const;
export const JobState = z.enum( JOB_STATES );
export type JobState = z.infer< typeof JobState >;

export const RESULT_STATUSES = [ 'created', 'updated', 'skipped' ] as const;
export const ResultStatus = z.enum( RESULT_STATUSES );
export type ResultStatus = z.infer< typeof ResultStatus >;

/** Who sent a delivery: the CRM's webhook, or one of the bridge's own runs (bridge/src/imports/). */
export const DELIVERY_SOURCES = [
	'webhook',
	'import',
	'resync',
	'reconcile',
] as const;
export const DeliverySource = z.enum( DELIVERY_SOURCES );
export type DeliverySource = z.infer< typeof DeliverySource >;

export const DeliveryError = z.object( {
	code: z.string(),
	message: z.string(),
	http_status: z.nullable( z.int() ),
} );

export const AttemptError = z.object( {
	code: z.string(),
	message: z.string(),
} );

export const DeliveryAttempt = z.object( {
	n: z.int(),
	started_at: z.string(),
	duration_ms: z.number(),
	error: z.nullable( AttemptError ),
} );
export type DeliveryAttempt = z.infer< typeof DeliveryAttempt >;

export const Delivery = z.object( {
	id: z.string(),
	/** Absent from a bridge older than the import tool: a webhook's. */
	source: z._default( DeliverySource, 'webhook' ),
	received_at: z.string(),
	action: DeliveryAction,
	contact_id: z.int(),
	/** Secrets already redacted. */
	params: z.record( z.string(), z.unknown() ),
	source_ip: z.nullable( z.string() ),
	state: JobState,
	result_status: z.nullable( ResultStatus ),
	user_id: z.nullable( z.int() ),
	email: z.nullable( z.string() ),
	error: z.nullable( DeliveryError ),
	attempts: z.array( DeliveryAttempt ),
	merged_into: z.optional( z.string() ),
	/** While queued: when its job may start. */
	due_at: z.optional( z.string() ),
	duration_ms: z.nullable( z.number() ),
} );
export type Delivery = z.infer< typeof Delivery >;

/** `GET /v1/deliveries`. */
export const DeliveryPage = z.object( {
	items: z.array( Delivery ),
	total: z.int(),
	page: z.int(),
	per_page: z.int(),
} );
export type DeliveryPage = z.infer< typeof DeliveryPage >;
