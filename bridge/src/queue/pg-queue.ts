import { openPgPool, type PgPool } from '../pg-database';
import { PgDeliveryLog } from './pg-delivery-log';
import { PgIntake } from './pg-intake';
import { PgJobs } from './pg-jobs';
import { PgPasswords } from './pg-passwords';
import {
	ContactQueueEngine,
	DEFAULT_ENGINE_OPTIONS,
	type EngineOptions,
} from './pg-queue-engine';
import { PgQueueEvents } from './pg-queue-events';
import { migratePg } from './pg-schema';
import type {
	AcceptedDelivery,
	Attempt,
	AttemptOutcome,
	ClaimedJob,
	Delivery,
	DeliveryFilter,
	DeliveryOutcome,
	NewDelivery,
	Queue,
	QueueStats,
} from './queue';
import type { SettleWindow } from './settle';

/**
 * The shared queue: PostgreSQL, for several bridges in front of one site. pg-boss owns which
 * contact runs where (pg-queue-engine.ts); the bridge's tables hold the rest (pg-schema.ts);
 * NOTIFY carries the events to every bridge (pg-queue-events.ts). Each concern is its own class,
 * as in SqliteQueue; this one opens them, in order, and closes them.
 */
export class PgQueue implements Queue {
	private constructor(
		readonly pool: PgPool,
		private readonly engine: ContactQueueEngine,
		private readonly events: PgQueueEvents,
		private readonly intake: PgIntake,
		private readonly jobs: PgJobs,
		private readonly passwords: PgPasswords,
		private readonly log: PgDeliveryLog
	) {}

	/**
	 * Migrates the database, starts pg-boss and listens for the other bridges' changes.
	 * @param url     The `postgres://…` database.
	 * @param now     The clock (ms) for acceptance, due and finish times.
	 * @param options pg-boss's lease and maintenance intervals (tests shorten them).
	 */
	static async open(
		url: string,
		now: () => number = Date.now,
		options: EngineOptions = DEFAULT_ENGINE_OPTIONS
	): Promise< PgQueue > {
		const pool = openPgPool( url );
		await migratePg( pool );
		const engine = new ContactQueueEngine( url, options );
		await engine.start();
		const events = new PgQueueEvents( url );
		await events.start();
		return new PgQueue(
			pool,
			engine,
			events,
			new PgIntake( pool, engine, now ),
			new PgJobs( pool, engine, now ),
			new PgPasswords( pool ),
			new PgDeliveryLog( pool, engine, now )
		);
	}

	async close(): Promise< void > {
		await this.events.stop();
		await this.engine.stop();
		await this.pool.end();
	}

	accept(
		delivery: NewDelivery,
		settle: SettleWindow | null = null
	): Promise< AcceptedDelivery > {
		return this.intake.accept( delivery, settle );
	}

	outcome( deliveryId: string ): Promise< DeliveryOutcome | null > {
		return this.intake.outcome( deliveryId );
	}

	backlog( exceptJobId: number, dueBy: number ): Promise< number > {
		return this.intake.backlog( exceptJobId, dueBy );
	}

	onSettled( listener: ( jobId: number ) => void ): () => void {
		return this.events.onSettled( listener );
	}

	onChange( listener: () => void ): () => void {
		return this.events.onChange( listener );
	}

	claim( now: number ): Promise< ClaimedJob | null > {
		return this.jobs.claim( now );
	}

	nextDueAt(): Promise< number | null > {
		return this.jobs.nextDueAt();
	}

	finishAttempt(
		jobId: number,
		attempt: Attempt,
		outcome: AttemptOutcome
	): Promise< void > {
		return this.jobs.finishAttempt( jobId, attempt, outcome );
	}

	release( jobId: number ): Promise< void > {
		return this.jobs.release( jobId );
	}

	requeueAbandoned(): Promise< number > {
		return this.jobs.requeueAbandoned();
	}

	storePassword( jobId: number, sealed: string ): Promise< void > {
		return this.passwords.storePassword( jobId, sealed );
	}

	replay( deliveryId: string ): Promise< AcceptedDelivery > {
		return this.log.replay( deliveryId );
	}

	getDelivery( deliveryId: string ): Promise< Delivery | null > {
		return this.log.getDelivery( deliveryId );
	}

	listDeliveries(
		filter: DeliveryFilter
	): Promise< { items: Delivery[]; total: number } > {
		return this.log.listDeliveries( filter );
	}

	stats(): Promise< QueueStats > {
		return this.log.stats();
	}

	purgeFinishedBefore( cutoff: number ): Promise< number > {
		return this.log.purgeFinishedBefore( cutoff );
	}
}
