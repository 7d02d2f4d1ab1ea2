import type { Logger } from './log';
import { AttemptDeadlineError, classifyFailure } from './jobs/failure';
import { nextRetryDelay } from './jobs/retry';
import type { AttemptNotes } from './jobs/sync-user';
import type {
	AttemptOutcome,
	ClaimedJob,
	JobResult,
	Queue,
} from './queue/queue';

export type JobRunner = (
	job: ClaimedJob,
	notes: AttemptNotes
) => Promise< JobResult >;

export interface WorkerOptions {
	workers: number;
	retryScheduleMs: readonly number[];
	/**
	 * How long an attempt may run before it is ended as retryable (ms): on a queue shared by
	 * several bridges, within the job's lease, so that a slow attempt is never still running
	 * when another bridge takes the job over (the two would write the same user at once, each
	 * slowing the other past the next lease). None on SQLite, which has no lease.
	 */
	attemptDeadlineMs?: number;
	logger: Logger;
}

// Polling is only the fallback: queue events wake idle workers at once.
const MAX_IDLE_MS = 1000;

/**
 * Runs up to `workers` jobs at once. The queue decides which job may start (one per contact);
 * the worker runs it, then records the attempt: done, failed, or queued again with back-off.
 */
export class Worker {
	private stopping = false;
	private readonly idlers = new Set< () => void >();
	private readonly running = new Set< number >();
	private readonly abandoned = new Set< number >();
	private loops: Promise< void >[] = [];
	private unsubscribe: () => void = () => {};

	constructor(
		private readonly queue: Queue,
		private readonly run: JobRunner,
		private readonly options: WorkerOptions
	) {}

	start(): void {
		// One idle worker per change: a change makes at most one more job claimable, and waking
		// them all had every idle worker search the queue for each delivery of a storm.
		this.unsubscribe = this.queue.onChange( () => this.wakeOne() );
		this.loops = Array.from( { length: this.options.workers }, () =>
			this.loop()
		);
	}

	/**
	 * Stops taking jobs and waits up to `graceMs` for the running ones; those still running are
	 * put back in the queue (uncounted) and their late results ignored.
	 * @param graceMs How long running jobs may take to finish.
	 */
	async stop( graceMs: number ): Promise< void > {
		this.stopping = true;
		this.unsubscribe();
		this.wakeAll();
		let timer: NodeJS.Timeout | undefined;
		await Promise.race( [
			Promise.all( this.loops ),
			new Promise(
				( resolve ) => ( timer = setTimeout( resolve, graceMs ) )
			),
		] );
		clearTimeout( timer );
		for ( const jobId of this.running ) {
			this.abandoned.add( jobId );
			await this.queue.release( jobId );
			this.options.logger.log( 'warn', 'job.released', {
				job_id: jobId,
			} );
		}
	}

	private async loop(): Promise< void > {
		while ( ! this.stopping ) {
			const job = await this.queue
				.claim( Date.now() )
				.catch( ( error: unknown ) => {
					// A locked or failing database: wait, as when idle, and try again.
					this.options.logger.log( 'error', 'job.claim_failed', {
						error,
					} );
					return null;
				} );
			if ( job === null ) {
				await this.idle();
				continue;
			}
			this.running.add( job.id );
			await this.attempt( job ).catch( ( error: unknown ) => {
				// The queue itself failed (disk full?): the job stays in progress and is re-queued
				// at the next start; this worker carries on with other jobs.
				this.options.logger.log( 'error', 'job.record_failed', {
					job_id: job.id,
					error,
				} );
			} );
			this.running.delete( job.id );
		}
	}

	private async idle(): Promise< void > {
		const due = await this.queue.nextDueAt().catch( () => null );
		const waitMs =
			due === null
				? MAX_IDLE_MS
				: Math.min( MAX_IDLE_MS, Math.max( 0, due - Date.now() ) );
		await new Promise< void >( ( resolve ) => {
			const done = (): void => {
				this.idlers.delete( done );
				clearTimeout( timer );
				resolve();
			};
			const timer = setTimeout( done, waitMs );
			this.idlers.add( done );
		} );
	}

	private wakeOne(): void {
		const [ wake ] = this.idlers;
		wake?.();
	}

	private wakeAll(): void {
		for ( const wake of [ ...this.idlers ] ) {
			wake();
		}
	}

	private async attempt( job: ClaimedJob ): Promise< void > {
		// eslint-disable-next-line @wordpress/no-unused-vars-before-return -- the clock starts before the job runs
		const startedAt = Date.now();
		const notes: AttemptNotes = { email: null };
		let outcome: AttemptOutcome;
		try {
			outcome = {
				kind: 'done',
				result: await this.withinDeadline( this.run( job, notes ) ),
			};
		} catch ( thrown ) {
			outcome = this.outcomeOfFailure( job, thrown );
		}
		if ( this.abandoned.has( job.id ) ) {
			return;
		}
		const durationMs = Date.now() - startedAt;
		await this.queue.finishAttempt(
			job.id,
			{ startedAt, durationMs, email: notes.email },
			outcome
		);
		this.options.logger.log(
			outcome.kind === 'failed' ? 'warn' : 'info',
			`job.${ outcome.kind }`,
			{
				job_id: job.id,
				contact_id: job.contactId,
				action: job.intent.action,
				attempts: job.previousAttempts + 1,
				duration_ms: durationMs,
				...( outcome.kind === 'done'
					? {
							status: outcome.result.status,
							user_id: outcome.result.userId,
						}
					: { error: outcome.error } ),
				...( outcome.kind === 'retry' && {
					retry_at: new Date( outcome.nextAttemptAt ).toISOString(),
				} ),
			}
		);
	}

	/**
	 * The attempt's result, or an AttemptDeadlineError once `attemptDeadlineMs` has passed. What
	 * the attempt still does after that is moot: its deliveries are idempotent by id, and the
	 * WordPress request it may still have open ends on its own timeout.
	 * @param attempt The running attempt.
	 */
	private async withinDeadline< T >( attempt: Promise< T > ): Promise< T > {
		const deadlineMs = this.options.attemptDeadlineMs;
		if ( deadlineMs === undefined ) {
			return attempt;
		}
		let timer: NodeJS.Timeout | undefined;
		try {
			return await Promise.race( [
				attempt,
				new Promise< never >( ( _resolve, reject ) => {
					timer = setTimeout(
						() => reject( new AttemptDeadlineError( deadlineMs ) ),
						deadlineMs
					);
				} ),
			] );
		} finally {
			clearTimeout( timer );
		}
	}

	/**
	 * Retry with back-off while the error allows it and the schedule lasts, else failed.
	 * @param job
	 * @param thrown
	 */
	private outcomeOfFailure(
		job: ClaimedJob,
		thrown: unknown
	): AttemptOutcome {
		const { error, retryable, retryAfterMs } = classifyFailure( thrown );
		const delay = retryable
			? nextRetryDelay(
					this.options.retryScheduleMs,
					job.previousAttempts + 1,
					retryAfterMs
				)
			: null;
		return delay === null
			? { kind: 'failed', error }
			: { kind: 'retry', error, nextAttemptAt: Date.now() + delay };
	}
}
