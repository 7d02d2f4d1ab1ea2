import type { DeliveryAction, JobIntent } from './merge';
import type { SettleWindow } from './settle';

/**
 * The durable queue and delivery log. `SqliteQueue` is the embedded default; a shared engine
 * (for several bridges in front of one site) implements the same interface, which is why every
 * method is async even though SQLite answers synchronously.
 *
 * A delivery is one forward from the plugin (its id is the body's `id`, not the `webhook-id`). A job is the work for
 * one contact; several deliveries queued for the same contact share one job (see merge.ts).
 */

import type {
	Delivery,
	DeliverySource,
	JobState,
	QueueStats,
	ResultStatus,
} from '@pulse-sync/contracts';

// The wire contracts (contracts/) own these; the queue's modules import them from here.
export { JOB_STATES } from '@pulse-sync/contracts';
export type { Delivery, DeliverySource, JobState, QueueStats, ResultStatus };

export interface NewDelivery {
	id: string;
	/** 'webhook' when absent. */
	source?: DeliverySource;
	action: DeliveryAction;
	contactId: number;
	/** Already redacted: the log keeps these for the owner to read. */
	params: Record< string, unknown >;
	sendNotification: boolean;
	role: string | null;
	sourceIp: string | null;
	receivedAt: string;
}

export interface AcceptedDelivery {
	deliveryId: string;
	jobId: number;
	/** True when this id was stored before: nothing new was queued. */
	duplicate: boolean;
}

export interface JobResult {
	status: ResultStatus;
	userId: number | null;
	reason?: string;
}

export interface JobError {
	code: string;
	message: string;
	/** What the plugin answers the CRM with when the delivery failed (404, 422, …). */
	httpStatus?: number;
}

export interface ClaimedJob {
	id: number;
	contactId: number;
	intent: JobIntent;
	/** Sent to WordPress as `delivery_id`: stable across retries of this job, new for a replay. */
	requestId: string;
	/** Attempts made before this one. */
	previousAttempts: number;
	sealedPassword: string | null;
}

export interface Attempt {
	startedAt: number;
	durationMs: number;
	/** The contact's email, once loaded, so the log can be searched by it. */
	email: string | null;
}

export type AttemptOutcome =
	| { kind: 'done'; result: JobResult }
	| { kind: 'failed'; error: JobError }
	| { kind: 'retry'; error: JobError; nextAttemptAt: number };

export type DeliveryOutcome =
	| { deliveryId: string; state: 'queued' | 'in_progress'; jobId: number }
	| { deliveryId: string; state: 'done'; jobId: number; result: JobResult }
	| { deliveryId: string; state: 'failed'; jobId: number; error: JobError };

export interface DeliveryFilter {
	status?: JobState;
	action?: DeliveryAction;
	contactId?: number;
	email?: string;
	page: number;
	perPage: number;
}

export class DeliveryNotFoundError extends Error {
	constructor( id: string ) {
		super( `No delivery ${ id }.` );
		this.name = 'DeliveryNotFoundError';
	}
}

export class DeliveryBusyError extends Error {
	constructor( id: string ) {
		super(
			`Delivery ${ id } is still queued or running; only finished deliveries can be replayed.`
		);
		this.name = 'DeliveryBusyError';
	}
}

/** What the HTTP route needs: store a delivery, see how it ended, how much work is ahead of it. */
export interface DeliveryIntake {
	/**
	 * Stores the delivery durably (before the caller answers) and queues or merges its job.
	 * `settle` is the storm's settle window (settle.ts), null or absent outside a storm.
	 */
	accept: (
		delivery: NewDelivery,
		settle?: SettleWindow | null
	) => Promise< AcceptedDelivery >;
	outcome: ( deliveryId: string ) => Promise< DeliveryOutcome | null >;
	/**
	 * Jobs due to start at or before `dueBy` other than `exceptJobId`: the work ahead of a new
	 * delivery (the caller passes a moment in the past to count only jobs kept waiting).
	 * Jobs waiting for a retry are not counted; they would keep the plugin from ever waiting.
	 */
	backlog: ( exceptJobId: number, dueBy: number ) => Promise< number >;
}

/** Who hears that a job changed: the waiting HTTP requests and the idle workers. */
export interface QueueEvents {
	/** Called with the job id whenever a job ends done or failed; returns an unsubscribe. */
	onSettled: ( listener: ( jobId: number ) => void ) => () => void;
	/** Called whenever a job may have become claimable (queued, merged, retried, settled). */
	onChange: ( listener: () => void ) => () => void;
}

/** What the worker needs: take a job, record how its attempt went. */
export interface JobClaims {
	/** Atomically takes the oldest due job whose contact has no job in progress. */
	claim: ( now: number ) => Promise< ClaimedJob | null >;
	/** When the next queued job becomes due (ms), or null when nothing is queued. */
	nextDueAt: () => Promise< number | null >;
	/** Records the attempt on every delivery of the job and moves the job on. */
	finishAttempt: (
		jobId: number,
		attempt: Attempt,
		outcome: AttemptOutcome
	) => Promise< void >;
	/** Puts an in-progress job back, uncounted (shutdown before it finished). */
	release: ( jobId: number ) => Promise< void >;
	/** At start: jobs left in progress by a process that died are queued again. */
	requeueAbandoned: () => Promise< number >;
}

/** The generated password of a job, sealed, kept until the job ends. */
export interface PasswordStore {
	/** Keeps the encrypted generated password with the job, before WordPress may use it. */
	storePassword: ( jobId: number, sealed: string ) => Promise< void >;
}

/** The delivery log the owner reads: list, one delivery, counts, purge, replay. */
export interface DeliveryLog {
	replay: ( deliveryId: string ) => Promise< AcceptedDelivery >;
	getDelivery: ( deliveryId: string ) => Promise< Delivery | null >;
	listDeliveries: (
		filter: DeliveryFilter
	) => Promise< { items: Delivery[]; total: number } >;
	stats: () => Promise< QueueStats >;
	/** Deletes finished deliveries received before `cutoff` (ms) and what only they used. */
	purgeFinishedBefore: ( cutoff: number ) => Promise< number >;
}

/**
 * The whole queue, as one engine provides it. Each part needs only its own interface, so a
 * second engine (PostgreSQL, issue 13) implements them one by one.
 */
export interface Queue
	extends
		DeliveryIntake,
		QueueEvents,
		JobClaims,
		PasswordStore,
		DeliveryLog {}
