import { statement, type Db } from '../database';
import { intentOf } from './merge';
import type {
	AcceptedDelivery,
	DeliveryIntake,
	DeliveryOutcome,
	NewDelivery,
} from './queue';
import type { QueueEventBus } from './queue-events';
import type { SettleWindow } from './settle';
import { outcomeOfRow, selectDeliveryRow } from './sqlite-delivery-rows';
import { queueIntent } from './sqlite-job-queueing';

/** Taking deliveries in, in the SQLite file: store, queue or merge, answer how they ended. */
export class SqliteIntake implements DeliveryIntake {
	/**
	 * @param db     The open, migrated SQLite file.
	 * @param events Told when a delivery made a job claimable.
	 * @param now    The clock (ms) for acceptance and due times.
	 */
	constructor(
		private readonly db: Db,
		private readonly events: QueueEventBus,
		private readonly now: () => number
	) {}

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
			const { jobId, mergedInto, dueAt } = queueIntent(
				this.db,
				this.now(),
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
			this.events.queued( accepted.jobId );
		}
		return accepted;
	}

	async outcome( deliveryId: string ): Promise< DeliveryOutcome | null > {
		const row = selectDeliveryRow( this.db, deliveryId );
		return row ? outcomeOfRow( row ) : null;
	}

	async backlog( exceptJobId: number, dueBy: number ): Promise< number > {
		const row = statement(
			this.db,
			`SELECT COUNT(*) AS n FROM jobs
				WHERE state = 'queued' AND next_attempt_at <= ? AND id != ?`
		).get( dueBy, exceptJobId ) as { n: number };
		return row.n;
	}
}
