import type {
	AcceptedDelivery,
	Attempt,
	AttemptOutcome,
	ClaimedJob,
	Delivery,
	DeliveryFilter,
	DeliveryIntake,
	DeliveryLog,
	DeliveryOutcome,
	JobClaims,
	NewDelivery,
	PasswordStore,
	Queue,
	QueueEvents,
	QueueStats,
} from './queue';
import type { SettleWindow } from './settle';

/** One engine's implementations of the queue's interfaces, one class per concern. */
export interface QueueParts {
	intake: DeliveryIntake;
	events: QueueEvents;
	jobs: JobClaims;
	passwords: PasswordStore;
	log: DeliveryLog;
}

/**
 * `Queue` put together from an engine's parts (SQLite: sqlite-queue.ts, PostgreSQL: pg-queue.ts);
 * each call goes to the part that owns it.
 */
export class ComposedQueue implements Queue {
	/** @param parts The engine's parts. */
	constructor( private readonly parts: QueueParts ) {}

	accept(
		delivery: NewDelivery,
		settle: SettleWindow | null = null
	): Promise< AcceptedDelivery > {
		return this.parts.intake.accept( delivery, settle );
	}

	outcome( deliveryId: string ): Promise< DeliveryOutcome | null > {
		return this.parts.intake.outcome( deliveryId );
	}

	backlog( exceptJobId: number, dueBy: number ): Promise< number > {
		return this.parts.intake.backlog( exceptJobId, dueBy );
	}

	onSettled( listener: ( jobId: number ) => void ): () => void {
		return this.parts.events.onSettled( listener );
	}

	onChange( listener: () => void ): () => void {
		return this.parts.events.onChange( listener );
	}

	claim( now: number ): Promise< ClaimedJob | null > {
		return this.parts.jobs.claim( now );
	}

	nextDueAt(): Promise< number | null > {
		return this.parts.jobs.nextDueAt();
	}

	finishAttempt(
		jobId: number,
		attempt: Attempt,
		outcome: AttemptOutcome
	): Promise< void > {
		return this.parts.jobs.finishAttempt( jobId, attempt, outcome );
	}

	release( jobId: number ): Promise< void > {
		return this.parts.jobs.release( jobId );
	}

	requeueAbandoned(): Promise< number > {
		return this.parts.jobs.requeueAbandoned();
	}

	storePassword( jobId: number, sealed: string ): Promise< void > {
		return this.parts.passwords.storePassword( jobId, sealed );
	}

	replay( deliveryId: string ): Promise< AcceptedDelivery > {
		return this.parts.log.replay( deliveryId );
	}

	getDelivery( deliveryId: string ): Promise< Delivery | null > {
		return this.parts.log.getDelivery( deliveryId );
	}

	listDeliveries(
		filter: DeliveryFilter
	): Promise< { items: Delivery[]; total: number } > {
		return this.parts.log.listDeliveries( filter );
	}

	stats(): Promise< QueueStats > {
		return this.parts.log.stats();
	}

	purgeFinishedBefore( cutoff: number ): Promise< number > {
		return this.parts.log.purgeFinishedBefore( cutoff );
	}
}
