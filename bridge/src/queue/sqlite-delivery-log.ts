import { statement, type Db } from '../database';
import { newMessageId } from '../signature';
import { intentOf } from './merge';
import {
	DeliveryBusyError,
	DeliveryNotFoundError,
	type AcceptedDelivery,
	type Delivery,
	type DeliveryFilter,
	type DeliveryLog,
	type JobState,
	type QueueStats,
} from './queue';
import type { QueueEventBus } from './queue-events';
import {
	DELIVERY_SELECT,
	presentDeliveries,
	selectDeliveryRow,
	type DeliveryRow,
} from './sqlite-delivery-rows';
import { queueIntent } from './sqlite-job-queueing';

/** The delivery log in the SQLite file: what the owner lists, counts, purges and replays. */
export class SqliteDeliveryLog implements DeliveryLog {
	/**
	 * @param db     The open, migrated SQLite file.
	 * @param events Told when a replay queued a job.
	 * @param now    The clock (ms) for a replay's job.
	 */
	constructor(
		private readonly db: Db,
		private readonly events: QueueEventBus,
		private readonly now: () => number
	) {}

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
			const { jobId, mergedInto } = queueIntent(
				this.db,
				this.now(),
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
		this.events.queued( accepted.jobId );
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
