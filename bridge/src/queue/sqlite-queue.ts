import type { Db } from '../database';
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
import { QueueEventBus } from './queue-events';
import { migrate } from './schema';
import type { SettleWindow } from './settle';
import { SqliteDeliveryLog } from './sqlite-delivery-log';
import { SqliteIntake } from './sqlite-intake';
import { SqliteJobs } from './sqlite-jobs';
import { SqlitePasswords } from './sqlite-passwords';

/**
 * The embedded queue: one SQLite file, one bridge process. Each concern is its own class over the
 * same file (intake, jobs, passwords, delivery log, and the in-process event bus); this one
 * migrates the file and puts them together behind `Queue`.
 */
export class SqliteQueue implements Queue {
	private readonly events = new QueueEventBus();
	private readonly intake: SqliteIntake;
	private readonly jobs: SqliteJobs;
	private readonly passwords: SqlitePasswords;
	private readonly log: SqliteDeliveryLog;

	/**
	 * @param db  The open SQLite file (migrated here).
	 * @param now The clock (ms) for acceptance, due and finish times; tests pass their own.
	 */
	constructor( db: Db, now: () => number = Date.now ) {
		migrate( db );
		this.intake = new SqliteIntake( db, this.events, now );
		this.jobs = new SqliteJobs( db, this.events, now );
		this.passwords = new SqlitePasswords( db );
		this.log = new SqliteDeliveryLog( db, this.events, now );
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
