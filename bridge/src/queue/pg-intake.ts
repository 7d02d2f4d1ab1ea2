import { inTransaction, type PgPool } from '../pg-database';
import { intentOf } from './merge';
import { lockContactIntake, queuePgIntent } from './pg-job-queueing';
import type { ContactQueueEngine } from './pg-queue-engine';
import { announce } from './pg-queue-events';
import { selectPgDeliveryRow } from './pg-delivery-rows';
import type {
	AcceptedDelivery,
	DeliveryIntake,
	DeliveryOutcome,
	NewDelivery,
} from './queue';
import type { SettleWindow } from './settle';
import { outcomeOfRow } from './sqlite-delivery-rows';

/** Taking deliveries in, in PostgreSQL: store, queue or merge, answer how they ended. */
export class PgIntake implements DeliveryIntake {
	/**
	 * @param pool   The migrated database.
	 * @param engine pg-boss, asked for the contact's turn.
	 * @param now    The clock (ms) for acceptance and due times.
	 */
	constructor(
		private readonly pool: PgPool,
		private readonly engine: ContactQueueEngine,
		private readonly now: () => number
	) {}

	async accept(
		delivery: NewDelivery,
		settle: SettleWindow | null = null
	): Promise< AcceptedDelivery > {
		return inTransaction( this.pool, async ( client ) => {
			// A repeated delivery id is for the same contact: the lock orders both copies too.
			await lockContactIntake( client, delivery.contactId );
			const existing = await client.query< { job_id: number } >(
				'SELECT job_id FROM deliveries WHERE id = $1',
				[ delivery.id ]
			);
			const known = existing.rows[ 0 ];
			if ( known ) {
				return {
					deliveryId: delivery.id,
					jobId: known.job_id,
					duplicate: true,
				};
			}
			const now = this.now();
			const { jobId, mergedInto, dueAt } = await queuePgIntent(
				client,
				this.engine,
				now,
				delivery.contactId,
				intentOf(
					delivery.action,
					delivery.sendNotification,
					delivery.role
				),
				delivery.id,
				delivery.id,
				settle
			);
			await client.query(
				`INSERT INTO deliveries (id, job_id, merged_into, received_at, accepted_at, action, contact_id,
						params, send_notification, role, source_ip, source)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				[
					delivery.id,
					jobId,
					mergedInto,
					delivery.receivedAt,
					now,
					delivery.action,
					delivery.contactId,
					JSON.stringify( delivery.params ),
					delivery.sendNotification ? 1 : 0,
					delivery.role,
					delivery.sourceIp,
					delivery.source ?? 'webhook',
				]
			);
			// A settling job is not claimable yet: no worker needs waking for it.
			if ( dueAt <= now ) {
				await announce( client, 'queued', jobId );
			}
			return { deliveryId: delivery.id, jobId, duplicate: false };
		} );
	}

	async outcome( deliveryId: string ): Promise< DeliveryOutcome | null > {
		const row = await selectPgDeliveryRow( this.pool, deliveryId );
		return row ? outcomeOfRow( row ) : null;
	}

	async backlog( exceptJobId: number, dueBy: number ): Promise< number > {
		const { rows } = await this.pool.query< { n: number } >(
			`SELECT COUNT(*)::int AS n FROM jobs
				WHERE state = 'queued' AND next_attempt_at <= $1 AND id != $2`,
			[ dueBy, exceptJobId ]
		);
		return rows[ 0 ]?.n ?? 0;
	}
}
