import { EventEmitter } from 'node:events';
import { statement, type Db } from '../database';
import { newMessageId } from '../signature';
import {
	intentOf,
	mergeIntents,
	type DeliveryAction,
	type JobIntent,
} from './merge';
import {
	DeliveryBusyError,
	DeliveryNotFoundError,
	type AcceptedDelivery,
	type Attempt,
	type AttemptOutcome,
	type ClaimedJob,
	type Delivery,
	type DeliveryFilter,
	type DeliveryOutcome,
	type JobState,
	type NewDelivery,
	type Queue,
	type QueueStats,
	type ResultStatus,
} from './queue';
import { migrate } from './schema';
import { dueAfterDelivery, type SettleWindow } from './settle';
import {
	DELIVERY_SELECT,
	presentDeliveries,
	selectDeliveryRow,
	type DeliveryRow,
} from './sqlite-delivery-log';

interface JobRow {
	id: number;
	contact_id: number;
	action: DeliveryAction;
	send_notification: number;
	role: string | null;
	primary_delivery_id: string;
	request_id: string;
	state: JobState;
	attempts: number;
	next_attempt_at: number;
	created_at: number;
	sealed_password: string | null;
}

// A job may start only when no job of its contact is running and no older job of its contact
// waits (e.g. in back-off): one job at a time per contact, in arrival order.
const CONTACT_IS_FREE = `NOT EXISTS (
	SELECT 1 FROM jobs k WHERE k.contact_id = j.contact_id
	AND (k.state = 'in_progress' OR (k.state = 'queued' AND k.id < j.id)))`;

type QueueEvent = 'queued' | 'settled';

/** The embedded queue: one SQLite file, one bridge process. */
export class SqliteQueue implements Queue {
	private readonly events = new EventEmitter();

	/**
	 * @param db  The open SQLite file (migrated here).
	 * @param now The clock (ms) for acceptance, due and finish times; tests pass their own.
	 */
	constructor(
		private readonly db: Db,
		private readonly now: () => number = Date.now
	) {
		migrate( db );
		// Every waiting HTTP request subscribes; the default limit of 10 is far too low.
		this.events.setMaxListeners( 0 );
	}

	async accept(
		delivery: NewDelivery,
		settle: SettleWindow | null = null
	): Promise< AcceptedDelivery > {
		let dueNow = false;
		const accepted = this.db.transaction( (): AcceptedDelivery => {
			const existing = statement(
				this.db,
				'SELECT job_id FROM deliveries WHERE id = ?'
			).get( delivery.id ) as { job_id: number } | undefined;
			if ( existing ) {
				return {
					deliveryId: delivery.id,
					jobId: existing.job_id,
					duplicate: true,
				};
			}
			const intent = intentOf(
				delivery.action,
				delivery.sendNotification,
				delivery.role
			);
			const { jobId, mergedInto, dueAt } = this.queueIntent(
				delivery.contactId,
				intent,
				delivery.id,
				delivery.id,
				settle
			);
			dueNow = dueAt <= this.now();
			statement(
				this.db,
				`INSERT INTO deliveries (id, job_id, merged_into, received_at, accepted_at, action, contact_id,
						params, send_notification, role, source_ip, source)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
			).run(
				delivery.id,
				jobId,
				mergedInto,
				delivery.receivedAt,
				this.now(),
				delivery.action,
				delivery.contactId,
				JSON.stringify( delivery.params ),
				delivery.sendNotification ? 1 : 0,
				delivery.role,
				delivery.sourceIp,
				delivery.source ?? 'webhook'
			);
			return { deliveryId: delivery.id, jobId, duplicate: false };
		} )();
		// A settling job is not claimable yet: waking the workers for it would only have each of
		// them look through the queue for nothing (their idle timer finds it when it is due).
		if ( dueNow ) {
			this.events.emit( 'queued', accepted.jobId );
		}
		return accepted;
	}

	/**
	 * Merges the intent into the contact's newest job that has never been claimed, or creates a
	 * job. A job that was claimed may already have reached WordPress under its request id, and
	 * the plugin answers a repeated request id from its record, so it must not change meaning.
	 * That also keeps a retry's back-off out of settling: only unclaimed jobs get a new due time.
	 * @param contactId  The contact the job is for.
	 * @param intent     What the delivery asks for.
	 * @param deliveryId The delivery that creates the job, if one is created.
	 * @param requestId  The id WordPress will see as delivery_id.
	 * @param settle     The storm's settle window, null outside a storm.
	 */
	private queueIntent(
		contactId: number,
		intent: JobIntent,
		deliveryId: string,
		requestId: string,
		settle: SettleWindow | null
	): { jobId: number; mergedInto: string | null; dueAt: number } {
		const now = this.now();
		const open = statement(
			this.db,
			`SELECT * FROM jobs WHERE contact_id = ? AND state = 'queued' AND claims = 0 ORDER BY id DESC LIMIT 1`
		).get( contactId ) as JobRow | undefined;
		if ( open ) {
			const merged = mergeIntents( intentOfRow( open ), intent );
			const dueAt = dueAfterDelivery(
				{
					action: merged.action,
					dueAt: open.next_attempt_at,
					createdAt: open.created_at,
				},
				now,
				settle
			);
			statement(
				this.db,
				'UPDATE jobs SET action = ?, send_notification = ?, role = ?, next_attempt_at = ? WHERE id = ?'
			).run(
				merged.action,
				merged.sendNotification ? 1 : 0,
				merged.role,
				dueAt,
				open.id
			);
			return {
				jobId: open.id,
				mergedInto: open.primary_delivery_id,
				dueAt,
			};
		}
		const dueAt = dueAfterDelivery(
			{ action: intent.action, dueAt: null, createdAt: now },
			now,
			settle
		);
		const created = statement(
			this.db,
			`INSERT INTO jobs (contact_id, action, send_notification, role, primary_delivery_id, request_id, state,
					next_attempt_at, created_at)
				VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)`
		).run(
			contactId,
			intent.action,
			intent.sendNotification ? 1 : 0,
			intent.role,
			deliveryId,
			requestId,
			dueAt,
			now
		);
		return {
			jobId: Number( created.lastInsertRowid ),
			mergedInto: null,
			dueAt,
		};
	}

	async outcome( deliveryId: string ): Promise< DeliveryOutcome | null > {
		const row = selectDeliveryRow( this.db, deliveryId );
		if ( ! row ) {
			return null;
		}
		if ( row.state === 'done' ) {
			return {
				deliveryId,
				state: 'done',
				jobId: row.job_id,
				result: resultOf( row ),
			};
		}
		if ( row.state === 'failed' ) {
			return {
				deliveryId,
				state: 'failed',
				jobId: row.job_id,
				error: {
					code: row.error_code ?? 'failed',
					message: row.error_message ?? '',
					...( row.error_http_status !== null && {
						httpStatus: row.error_http_status,
					} ),
				},
			};
		}
		return { deliveryId, state: row.state, jobId: row.job_id };
	}

	async backlog( exceptJobId: number, dueBy: number ): Promise< number > {
		const row = statement(
			this.db,
			`SELECT COUNT(*) AS n FROM jobs
				WHERE state = 'queued' AND next_attempt_at <= ? AND id != ?`
		).get( dueBy, exceptJobId ) as { n: number };
		return row.n;
	}

	onSettled( listener: ( jobId: number ) => void ): () => void {
		return this.subscribe( 'settled', listener );
	}

	/**
	 * Any change that may make a job claimable: a new or merged job, a retry, a settled job.
	 * @param listener Called with no argument on every such change.
	 */
	onChange( listener: () => void ): () => void {
		const offQueued = this.subscribe( 'queued', listener );
		const offSettled = this.subscribe( 'settled', listener );
		return () => {
			offQueued();
			offSettled();
		};
	}

	private subscribe(
		event: QueueEvent,
		listener: ( jobId: number ) => void
	): () => void {
		this.events.on( event, listener );
		return () => this.events.off( event, listener );
	}

	async claim( now: number ): Promise< ClaimedJob | null > {
		// One UPDATE … RETURNING: the choice and the state change are a single atomic statement.
		const row = statement(
			this.db,
			`UPDATE jobs SET state = 'in_progress', claims = claims + 1
				WHERE id = (
					SELECT j.id FROM jobs j
					WHERE j.state = 'queued' AND j.next_attempt_at <= ? AND ${ CONTACT_IS_FREE }
					ORDER BY j.id LIMIT 1
				)
				RETURNING *`
		).get( now ) as JobRow | undefined;
		if ( ! row ) {
			return null;
		}
		return {
			id: row.id,
			contactId: row.contact_id,
			intent: intentOfRow( row ),
			requestId: row.request_id,
			previousAttempts: row.attempts,
			sealedPassword: row.sealed_password,
		};
	}

	async nextDueAt(): Promise< number | null > {
		const row = statement(
			this.db,
			`SELECT MIN(j.next_attempt_at) AS due FROM jobs j WHERE j.state = 'queued' AND ${ CONTACT_IS_FREE }`
		).get() as { due: number | null };
		return row.due;
	}

	async storePassword( jobId: number, sealed: string ): Promise< void > {
		statement(
			this.db,
			'UPDATE jobs SET sealed_password = ? WHERE id = ?'
		).run( sealed, jobId );
	}

	async finishAttempt(
		jobId: number,
		attempt: Attempt,
		outcome: AttemptOutcome
	): Promise< void > {
		const finished = this.db.transaction( (): boolean => {
			const job = statement(
				this.db,
				'SELECT state FROM jobs WHERE id = ?'
			).get( jobId ) as { state: JobState } | undefined;
			if ( job?.state !== 'in_progress' ) {
				// Released by a shutdown meanwhile: that job runs again, this result is moot.
				return false;
			}
			this.logAttempt(
				jobId,
				attempt,
				outcome.kind === 'done' ? null : outcome.error
			);
			const now = this.now();
			if ( outcome.kind === 'done' ) {
				statement(
					this.db,
					`UPDATE jobs SET state = 'done', attempts = attempts + 1, sealed_password = NULL, result_status = ?,
							user_id = ?, result_reason = ?, error_code = NULL, error_message = NULL, error_http_status = NULL,
							finished_at = ?
						WHERE id = ?`
				).run(
					outcome.result.status,
					outcome.result.userId,
					outcome.result.reason ?? null,
					now,
					jobId
				);
				return true;
			}
			const { error } = outcome;
			if ( outcome.kind === 'failed' ) {
				// The password is useless once the job gave up; the user can still reset it in WordPress.
				statement(
					this.db,
					`UPDATE jobs SET state = 'failed', attempts = attempts + 1, sealed_password = NULL, error_code = ?,
							error_message = ?, error_http_status = ?, finished_at = ?
						WHERE id = ?`
				).run(
					error.code,
					error.message,
					error.httpStatus ?? null,
					now,
					jobId
				);
				return true;
			}
			statement(
				this.db,
				`UPDATE jobs SET state = 'queued', attempts = attempts + 1, next_attempt_at = ?, error_code = ?,
						error_message = ?, error_http_status = ?
					WHERE id = ?`
			).run(
				outcome.nextAttemptAt,
				error.code,
				error.message,
				error.httpStatus ?? null,
				jobId
			);
			return false;
		} )();
		this.events.emit( finished ? 'settled' : 'queued', jobId );
	}

	private logAttempt(
		jobId: number,
		attempt: Attempt,
		error: { code: string; message: string } | null
	): void {
		const insert = statement(
			this.db,
			`INSERT INTO attempts (delivery_id, n, started_at, duration_ms, error_code, error_message)
			VALUES (?, (SELECT COALESCE(MAX(n), 0) + 1 FROM attempts WHERE delivery_id = ?), ?, ?, ?, ?)`
		);
		const deliveries = statement(
			this.db,
			'SELECT id FROM deliveries WHERE job_id = ?'
		).all( jobId ) as {
			id: string;
		}[];
		for ( const { id } of deliveries ) {
			insert.run(
				id,
				id,
				attempt.startedAt,
				attempt.durationMs,
				error?.code ?? null,
				error?.message ?? null
			);
		}
		if ( attempt.email !== null ) {
			statement(
				this.db,
				'UPDATE deliveries SET email = ? WHERE job_id = ?'
			).run( attempt.email, jobId );
		}
	}

	async release( jobId: number ): Promise< void > {
		statement(
			this.db,
			`UPDATE jobs SET state = 'queued' WHERE id = ? AND state = 'in_progress'`
		).run( jobId );
		this.events.emit( 'queued', jobId );
	}

	async requeueAbandoned(): Promise< number > {
		return statement(
			this.db,
			`UPDATE jobs SET state = 'queued' WHERE state = 'in_progress'`
		).run().changes;
	}

	async replay( deliveryId: string ): Promise< AcceptedDelivery > {
		const accepted = this.db.transaction( (): AcceptedDelivery => {
			const row = selectDeliveryRow( this.db, deliveryId );
			if ( ! row ) {
				throw new DeliveryNotFoundError( deliveryId );
			}
			if ( row.state === 'queued' || row.state === 'in_progress' ) {
				throw new DeliveryBusyError( deliveryId );
			}
			const intent = intentOf(
				row.action,
				row.send_notification === 1,
				row.role
			);
			// A fresh request id: the plugin must not answer the replay from its record of the
			// earlier write (it would report a password that this job never generated). The owner
			// asked for it now, so it never settles.
			const { jobId, mergedInto } = this.queueIntent(
				row.contact_id,
				intent,
				deliveryId,
				newMessageId(),
				null
			);
			statement(
				this.db,
				'UPDATE deliveries SET job_id = ?, merged_into = ? WHERE id = ?'
			).run( jobId, mergedInto, deliveryId );
			return { deliveryId, jobId, duplicate: false };
		} )();
		this.events.emit( 'queued', accepted.jobId );
		return accepted;
	}

	async getDelivery( deliveryId: string ): Promise< Delivery | null > {
		const row = selectDeliveryRow( this.db, deliveryId );
		return row
			? ( presentDeliveries( this.db, [ row ] )[ 0 ] ?? null )
			: null;
	}

	async listDeliveries(
		filter: DeliveryFilter
	): Promise< { items: Delivery[]; total: number } > {
		const conditions: string[] = [];
		const values: ( string | number )[] = [];
		if ( filter.status ) {
			conditions.push( 'j.state = ?' );
			values.push( filter.status );
		}
		if ( filter.action ) {
			conditions.push( 'd.action = ?' );
			values.push( filter.action );
		}
		if ( filter.contactId !== undefined ) {
			conditions.push( 'd.contact_id = ?' );
			values.push( filter.contactId );
		}
		if ( filter.email ) {
			conditions.push( 'd.email = ? COLLATE NOCASE' );
			values.push( filter.email );
		}
		const where =
			conditions.length > 0
				? `WHERE ${ conditions.join( ' AND ' ) }`
				: '';
		const { total } = statement(
			this.db,
			`SELECT COUNT(*) AS total FROM deliveries d JOIN jobs j ON j.id = d.job_id ${ where }`
		).get( ...values ) as { total: number };
		const rows = statement(
			this.db,
			`${ DELIVERY_SELECT } ${ where } ORDER BY d.seq DESC LIMIT ? OFFSET ?`
		).all(
			...values,
			filter.perPage,
			( filter.page - 1 ) * filter.perPage
		) as DeliveryRow[];
		return { items: presentDeliveries( this.db, rows ), total };
	}

	async stats(): Promise< QueueStats > {
		const counts = statement(
			this.db,
			'SELECT j.state, COUNT(*) AS n FROM deliveries d JOIN jobs j ON j.id = d.job_id GROUP BY j.state'
		).all() as { state: JobState; n: number }[];
		const byState = Object.fromEntries(
			counts.map( ( { state, n } ) => [ state, n ] )
		);
		const { oldest } = statement(
			this.db,
			`SELECT MIN(d.accepted_at) AS oldest FROM deliveries d JOIN jobs j ON j.id = d.job_id WHERE j.state = 'queued'`
		).get() as { oldest: number | null };
		return {
			pending: byState.queued ?? 0,
			in_progress: byState.in_progress ?? 0,
			failed: byState.failed ?? 0,
			done: byState.done ?? 0,
			oldest_pending_at:
				oldest === null ? null : new Date( oldest ).toISOString(),
		};
	}

	async purgeFinishedBefore( cutoff: number ): Promise< number > {
		return this.db.transaction( (): number => {
			const removed = statement(
				this.db,
				`DELETE FROM deliveries WHERE accepted_at < ?
					AND job_id IN (SELECT id FROM jobs WHERE state IN ('done', 'failed'))`
			).run( cutoff ).changes;
			statement(
				this.db,
				`DELETE FROM jobs WHERE state IN ('done', 'failed')
					AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.job_id = jobs.id)`
			).run();
			return removed;
		} )();
	}
}

function intentOfRow( row: JobRow ): JobIntent {
	return {
		action: row.action,
		sendNotification: row.send_notification === 1,
		role: row.role,
	};
}

function resultOf( row: DeliveryRow ): {
	status: ResultStatus;
	userId: number | null;
	reason?: string;
} {
	return {
		status: row.result_status ?? 'skipped',
		userId: row.user_id,
		...( row.result_reason !== null && { reason: row.result_reason } ),
	};
}
