import { inTransaction, type PgClient, type PgPool } from '../pg-database';
import { lockContactIntake } from './pg-job-queueing';
import type { ContactQueueEngine, ContactTurn } from './pg-queue-engine';
import { announce } from './pg-queue-events';
import type { Attempt, AttemptOutcome, ClaimedJob, JobClaims } from './queue';
import { claimedJobOf, type JobRow } from './sqlite-job-row';

// Turns that found nothing due are handed back before the next is fetched; a claim looks at a
// few of them at most and then lets the worker idle (it is woken or polls).
const TURNS_PER_CLAIM = 8;

/**
 * Taking jobs and recording their attempts, in PostgreSQL. pg-boss decides which contact this
 * bridge runs (a fetched turn, held under its lease: pg-queue-engine.ts); this class runs that
 * contact's oldest unfinished job, the same order SQLite keeps, and records the outcome in the
 * bridge's rows. A turn ends with the attempt; when the contact still has work (a retry's
 * back-off, a job queued meanwhile, a job not due yet) it asks pg-boss for the next turn.
 */
export class PgJobs implements JobClaims {
	/**
	 * The turn under which this bridge runs each of its jobs, and which claim of the job it is:
	 * pg-boss hands an expired turn on under the same id, so only the claim count tells this
	 * bridge's run from the one that took over.
	 */
	private readonly turns = new Map<
		number,
		{ turnId: string; claim: number }
	>();

	/**
	 * @param pool   The migrated database.
	 * @param engine pg-boss.
	 * @param now    The clock (ms) for finish times.
	 */
	constructor(
		private readonly pool: PgPool,
		private readonly engine: ContactQueueEngine,
		private readonly now: () => number
	) {}

	async claim( now: number ): Promise< ClaimedJob | null > {
		for ( let turns = 0; turns < TURNS_PER_CLAIM; turns++ ) {
			const turn = await this.engine.fetch();
			if ( turn === null ) {
				return null;
			}
			const started = await inTransaction( this.pool, ( client ) =>
				this.startTurn( client, turn, now )
			);
			if ( started !== null ) {
				this.turns.set( started.job.id, {
					turnId: turn.id,
					claim: started.claim,
				} );
				return started.job;
			}
		}
		return null;
	}

	/**
	 * Starts the contact's oldest unfinished job under the turn, or hands the turn back.
	 * A job found in progress was cut off with the turn of a crashed bridge: it runs again.
	 */
	private async startTurn(
		client: PgClient,
		turn: ContactTurn,
		now: number
	): Promise< { job: ClaimedJob; claim: number } | null > {
		await lockContactIntake( client, turn.contactId );
		const { rows } = await client.query< JobRow >(
			`SELECT * FROM jobs WHERE contact_id = $1 AND state IN ('queued', 'in_progress')
				ORDER BY id LIMIT 1 FOR UPDATE`,
			[ turn.contactId ]
		);
		const next = rows[ 0 ];
		if ( next === undefined || next.next_attempt_at > now ) {
			await this.endTurn( client, turn.id, turn.contactId );
			return null;
		}
		const started = await client.query< JobRow >(
			`UPDATE jobs SET state = 'in_progress', claims = claims + 1 WHERE id = $1 RETURNING *`,
			[ next.id ]
		);
		const row = started.rows[ 0 ] as JobRow & { claims: number };
		return {
			job: claimedJobOf( row ),
			claim: row.claims,
		};
	}

	/**
	 * Completes the turn and, when the contact has unfinished jobs, asks for the next turn at
	 * the earliest one's due time (pg-boss refuses it when one already waits).
	 * @return False when the turn was no longer this bridge's.
	 */
	private async endTurn(
		client: PgClient,
		turnId: string,
		contactId: number
	): Promise< boolean > {
		// Ordered with intake: a job accepted meanwhile either is seen here or sees this turn end.
		await lockContactIntake( client, contactId );
		const completed = await this.engine.complete( client, turnId );
		const { rows } = await client.query< { due: number | null } >(
			`SELECT MIN(next_attempt_at) AS due FROM jobs
				WHERE contact_id = $1 AND state IN ('queued', 'in_progress')`,
			[ contactId ]
		);
		const due = rows[ 0 ]?.due ?? null;
		if ( due !== null ) {
			await this.engine.request( client, contactId, due );
		}
		return completed;
	}

	async nextDueAt(): Promise< number | null > {
		// pg-boss holds the turns; workers are woken by NOTIFY or poll (worker.ts). A job due
		// later (back-off, settling) is the only time worth waking at.
		const { rows } = await this.pool.query< { due: number | null } >(
			`SELECT MIN(next_attempt_at) AS due FROM jobs WHERE state = 'queued' AND next_attempt_at > $1`,
			[ this.now() ]
		);
		return rows[ 0 ]?.due ?? null;
	}

	async finishAttempt(
		jobId: number,
		attempt: Attempt,
		outcome: AttemptOutcome
	): Promise< void > {
		const held = this.letGo( jobId );
		if ( held === undefined ) {
			return;
		}
		const { turnId, claim } = held;
		await inTransaction( this.pool, async ( client ) => {
			const { rows } = await client.query< JobRow & { claims: number } >(
				'SELECT * FROM jobs WHERE id = $1 FOR UPDATE',
				[ jobId ]
			);
			const job = rows[ 0 ];
			if ( job?.state !== 'in_progress' || job.claims !== claim ) {
				// Released meanwhile, or its lease ran out and another bridge runs it: moot.
				return;
			}
			await this.logAttempt(
				client,
				jobId,
				attempt,
				outcome.kind === 'done' ? null : outcome.error
			);
			await this.recordOutcome( client, jobId, outcome );
			await this.endTurn( client, turnId, job.contact_id );
			await announce(
				client,
				outcome.kind === 'retry' ? 'queued' : 'settled',
				jobId
			);
		} );
	}

	private async recordOutcome(
		client: PgClient,
		jobId: number,
		outcome: AttemptOutcome
	): Promise< void > {
		const now = this.now();
		if ( outcome.kind === 'done' ) {
			await client.query(
				`UPDATE jobs SET state = 'done', attempts = attempts + 1, sealed_password = NULL, result_status = $1,
						user_id = $2, result_reason = $3, error_code = NULL, error_message = NULL,
						error_http_status = NULL, finished_at = $4
					WHERE id = $5`,
				[
					outcome.result.status,
					outcome.result.userId,
					outcome.result.reason ?? null,
					now,
					jobId,
				]
			);
			return;
		}
		const { error } = outcome;
		if ( outcome.kind === 'failed' ) {
			// The password is useless once the job gave up (as in sqlite-jobs.ts).
			await client.query(
				`UPDATE jobs SET state = 'failed', attempts = attempts + 1, sealed_password = NULL, error_code = $1,
						error_message = $2, error_http_status = $3, finished_at = $4
					WHERE id = $5`,
				[
					error.code,
					error.message,
					error.httpStatus ?? null,
					now,
					jobId,
				]
			);
			return;
		}
		await client.query(
			`UPDATE jobs SET state = 'queued', attempts = attempts + 1, next_attempt_at = $1, error_code = $2,
					error_message = $3, error_http_status = $4
				WHERE id = $5`,
			[
				outcome.nextAttemptAt,
				error.code,
				error.message,
				error.httpStatus ?? null,
				jobId,
			]
		);
	}

	private async logAttempt(
		client: PgClient,
		jobId: number,
		attempt: Attempt,
		error: { code: string; message: string } | null
	): Promise< void > {
		await client.query(
			`INSERT INTO attempts (delivery_id, n, started_at, duration_ms, error_code, error_message)
				SELECT d.id, COALESCE((SELECT MAX(n) FROM attempts a WHERE a.delivery_id = d.id), 0) + 1,
					$2, $3, $4, $5
				FROM deliveries d WHERE d.job_id = $1`,
			[
				jobId,
				attempt.startedAt,
				attempt.durationMs,
				error?.code ?? null,
				error?.message ?? null,
			]
		);
		if ( attempt.email !== null ) {
			await client.query(
				'UPDATE deliveries SET email = $1 WHERE job_id = $2',
				[ attempt.email, jobId ]
			);
		}
	}

	async release( jobId: number ): Promise< void > {
		const held = this.letGo( jobId );
		if ( held === undefined ) {
			return;
		}
		const { turnId, claim } = held;
		await inTransaction( this.pool, async ( client ) => {
			const { rows } = await client.query< { contact_id: number } >(
				`UPDATE jobs SET state = 'queued' WHERE id = $1 AND state = 'in_progress' AND claims = $2
					RETURNING contact_id`,
				[ jobId, claim ]
			);
			const released = rows[ 0 ];
			if ( released ) {
				await this.endTurn( client, turnId, released.contact_id );
				await announce( client, 'queued', jobId );
			}
		} );
	}

	/** This bridge's turn and claim of a job it runs, forgotten: the job is being finished or released. */
	private letGo(
		jobId: number
	): { turnId: string; claim: number } | undefined {
		const held = this.turns.get( jobId );
		this.turns.delete( jobId );
		return held;
	}

	async requeueAbandoned(): Promise< number > {
		// A crashed bridge's jobs come back when pg-boss's lease on their turn runs out.
		return 0;
	}
}
