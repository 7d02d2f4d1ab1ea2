import { statement, type Db } from '../database';
import type {
	Attempt,
	AttemptOutcome,
	ClaimedJob,
	JobClaims,
	JobState,
} from './queue';
import type { QueueEventBus } from './queue-events';
import { claimedJobOf, type JobRow } from './sqlite-job-row';

// A job may start only when no job of its contact is running and no older job of its contact
// waits (e.g. in back-off): one job at a time per contact, in arrival order.
const CONTACT_IS_FREE = `NOT EXISTS (
	SELECT 1 FROM jobs k WHERE k.contact_id = j.contact_id
	AND (k.state = 'in_progress' OR (k.state = 'queued' AND k.id < j.id)))`;

/** Taking jobs and recording their attempts, in the SQLite file. */
export class SqliteJobs implements JobClaims {
	/**
	 * @param db     The open, migrated SQLite file.
	 * @param events Told when a job may be claimed or has ended.
	 * @param now    The clock (ms) for finish times.
	 */
	constructor(
		private readonly db: Db,
		private readonly events: QueueEventBus,
		private readonly now: () => number
	) {}

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
		return claimedJobOf( row );
	}

	async nextDueAt(): Promise< number | null > {
		const row = statement(
			this.db,
			`SELECT MIN(j.next_attempt_at) AS due FROM jobs j WHERE j.state = 'queued' AND ${ CONTACT_IS_FREE }`
		).get() as { due: number | null };
		return row.due;
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
		if ( finished ) {
			this.events.settled( jobId );
		} else {
			this.events.queued( jobId );
		}
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
		this.events.queued( jobId );
	}

	async requeueAbandoned(): Promise< number > {
		return statement(
			this.db,
			`UPDATE jobs SET state = 'queued' WHERE state = 'in_progress'`
		).run().changes;
	}
}
