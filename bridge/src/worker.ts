import type { Logger } from './log';
import { classifyFailure } from './jobs/failure';
import { nextRetryDelay } from './jobs/retry';
import type { AttemptNotes } from './jobs/sync-user';
import type { ClaimedJob, JobResult, Queue } from './queue/queue';

export type JobRunner = ( job: ClaimedJob, notes: AttemptNotes ) => Promise< JobResult >;

export interface WorkerOptions {
	workers: number;
	retryScheduleMs: readonly number[];
	logger: Logger;
	/** Told about every failed attempt (the CRM status screen keeps the last CRM error). */
	onFailure?: ( error: unknown ) => void;
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
	private readonly running = new Map< number, Promise< void > >();
	private readonly abandoned = new Set< number >();
	private loops: Promise< void >[] = [];
	private unsubscribe: () => void = () => {};

	constructor(
		private readonly queue: Queue,
		private readonly run: JobRunner,
		private readonly options: WorkerOptions
	) {}

	start(): void {
		this.unsubscribe = this.queue.onChange( () => this.wakeAll() );
		this.loops = Array.from( { length: this.options.workers }, () => this.loop() );
	}

	/**
	 * Stops taking jobs and waits up to `graceMs` for the running ones; those still running are
	 * put back in the queue (uncounted) and their late results ignored.
	 */
	async stop( graceMs: number ): Promise< void > {
		this.stopping = true;
		this.unsubscribe();
		this.wakeAll();
		let timer: NodeJS.Timeout | undefined;
		await Promise.race( [
			Promise.all( this.loops ),
			new Promise( ( resolve ) => ( timer = setTimeout( resolve, graceMs ) ) ),
		] );
		clearTimeout( timer );
		for ( const jobId of this.running.keys() ) {
			this.abandoned.add( jobId );
			await this.queue.release( jobId );
			this.options.logger.log( 'warn', 'job.released', { job_id: jobId } );
		}
	}

	private async loop(): Promise< void > {
		while ( ! this.stopping ) {
			const job = await this.queue.claim( Date.now() );
			if ( job === null ) {
				await this.idle();
				continue;
			}
			const attempt = this.attempt( job ).catch( ( error: unknown ) => {
				// The queue itself failed (disk full?): the job stays in progress and is re-queued
				// at the next start; this worker carries on with other jobs.
				this.options.logger.log( 'error', 'job.record_failed', { job_id: job.id, error } );
			} );
			this.running.set( job.id, attempt );
			await attempt;
			this.running.delete( job.id );
		}
	}

	private async idle(): Promise< void > {
		const due = await this.queue.nextDueAt();
		const waitMs = due === null ? MAX_IDLE_MS : Math.min( MAX_IDLE_MS, Math.max( 0, due - Date.now() ) );
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

	private wakeAll(): void {
		for ( const wake of [ ...this.idlers ] ) {
			wake();
		}
	}

	private async attempt( job: ClaimedJob ): Promise< void > {
		const startedAt = Date.now();
		const notes = { email: null as string | null };
		const { logger } = this.options;
		const context = { job_id: job.id, contact_id: job.contactId, action: job.intent.action };
		try {
			const result = await this.run( job, notes );
			if ( this.abandoned.has( job.id ) ) {
				return;
			}
			const attempt = { startedAt, durationMs: Date.now() - startedAt, email: notes.email };
			await this.queue.finishAttempt( job.id, attempt, { kind: 'done', result } );
			logger.log( 'info', 'job.done', { ...context, status: result.status, user_id: result.userId, duration_ms: attempt.durationMs } );
		} catch ( thrown ) {
			if ( this.abandoned.has( job.id ) ) {
				return;
			}
			this.options.onFailure?.( thrown );
			const { error, retryable, retryAfterMs } = classifyFailure( thrown );
			const attempt = { startedAt, durationMs: Date.now() - startedAt, email: notes.email };
			const attemptsMade = job.previousAttempts + 1;
			const delay = retryable ? nextRetryDelay( this.options.retryScheduleMs, attemptsMade, retryAfterMs ) : null;
			if ( delay === null ) {
				await this.queue.finishAttempt( job.id, attempt, { kind: 'failed', error } );
				logger.log( 'warn', 'job.failed', { ...context, attempts: attemptsMade, error } );
			} else {
				await this.queue.finishAttempt( job.id, attempt, { kind: 'retry', error, nextAttemptAt: Date.now() + delay } );
				logger.log( 'info', 'job.retry', { ...context, attempts: attemptsMade, retry_in_ms: delay, error } );
			}
		}
	}
}
