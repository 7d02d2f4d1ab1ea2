import { z } from 'zod';

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
	http_status: z.number().int().nullable(),
} );

export const AttemptError = z.object( {
	code: z.string(),
	message: z.string(),
} );

export const DeliveryAttempt = z.object( {
	n: z.number().int(),
	started_at: z.string(),
	duration_ms: z.number(),
	error: AttemptError.nullable(),
} );
export type DeliveryAttempt = z.infer< typeof DeliveryAttempt >;

export const Delivery = z.object( {
	id: z.string(),
	/** Absent from a bridge older than the import tool: a webhook's. */
	source: DeliverySource.default( 'webhook' ),
	received_at: z.string(),
	action: DeliveryAction,
	contact_id: z.number().int(),
	/** Secrets already redacted. */
	params: z.record( z.string(), z.unknown() ),
	source_ip: z.string().nullable(),
	state: JobState,
	result_status: ResultStatus.nullable(),
	user_id: z.number().int().nullable(),
	email: z.string().nullable(),
	error: DeliveryError.nullable(),
	attempts: z.array( DeliveryAttempt ),
	merged_into: z.string().optional(),
	/** While queued: when its job may start. */
	due_at: z.string().optional(),
	duration_ms: z.number().nullable(),
} );
export type Delivery = z.infer< typeof Delivery >;

/** `GET /v1/deliveries`. */
export const DeliveryPage = z.object( {
	items: z.array( Delivery ),
	total: z.number().int(),
	page: z.number().int(),
	per_page: z.number().int(),
} );
export type DeliveryPage = z.infer< typeof DeliveryPage >;
