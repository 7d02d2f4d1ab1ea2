import { inTransaction, type PgPool } from '../pg-database';
import { newMessageId } from '../signature';
import { intentOf } from './merge';
import { presentPgDeliveries, selectPgDeliveryRow } from './pg-delivery-rows';
import { lockContactIntake, queuePgIntent } from './pg-job-queueing';
import type { ContactQueueEngine } from './pg-queue-engine';
import { announce } from './pg-queue-events';
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
import { DELIVERY_SELECT, type DeliveryRow } from './sqlite-delivery-rows';

/** The delivery log in PostgreSQL: what the owner lists, counts, purges and replays. */
export class PgDeliveryLog implements DeliveryLog {
	/**
	 * @param pool   The migrated database.
	 * @param engine pg-boss, asked for a replay's turn.
	 * @param now    The clock (ms) for a replay's job.
	 */
	constructor(
		private readonly pool: PgPool,
		private readonly engine: ContactQueueEngine,
		private readonly now: () => number
	) {}

	async replay( deliveryId: string ): Promise< AcceptedDelivery > {
		return inTransaction( this.pool, async ( client ) => {
			const found = await selectPgDeliveryRow( client, deliveryId );
			if ( ! found ) {
				throw new DeliveryNotFoundError( deliveryId );
			}
			await lockContactIntake( client, found.contact_id );
			const row = await selectPgDeliveryRow( client, deliveryId );
			if ( row?.state === 'queued' || row?.state === 'in_progress' ) {
				throw new DeliveryBusyError( deliveryId );
			}
			// A fresh request id and no settling, as in sqlite-delivery-log.ts.
			const { jobId, mergedInto } = await queuePgIntent(
				client,
				this.engine,
				this.now(),
				found.contact_id,
				intentOf(
					found.action,
					found.send_notification === 1,
					found.role
				),
				deliveryId,
				newMessageId(),
				null
			);
			await client.query(
				'UPDATE deliveries SET job_id = $1, merged_into = $2 WHERE id = $3',
				[ jobId, mergedInto, deliveryId ]
			);
			await announce( client, 'queued', jobId );
			return { deliveryId, jobId, duplicate: false };
		} );
	}

	async getDelivery( deliveryId: string ): Promise< Delivery | null > {
		const row = await selectPgDeliveryRow( this.pool, deliveryId );
		return row
			? ( ( await presentPgDeliveries( this.pool, [ row ] ) )[ 0 ] ??
					null )
			: null;
	}

	async listDeliveries(
		filter: DeliveryFilter
	): Promise< { items: Delivery[]; total: number } > {
		const conditions: string[] = [];
		const values: ( string | number )[] = [];
		const add = ( condition: string, value: string | number ) => {
			values.push( value );
			conditions.push( condition.replace( '?', `$${ values.length }` ) );
		};
		if ( filter.status ) {
			add( 'j.state = ?', filter.status );
		}
		if ( filter.action ) {
			add( 'd.action = ?', filter.action );
		}
		if ( filter.contactId !== undefined ) {
			add( 'd.contact_id = ?', filter.contactId );
		}
		if ( filter.email ) {
			add( 'lower(d.email) = lower(?)', filter.email );
		}
		const where =
			conditions.length > 0
				? `WHERE ${ conditions.join( ' AND ' ) }`
				: '';
		const counted = await this.pool.query< { total: number } >(
			`SELECT COUNT(*)::int AS total FROM deliveries d JOIN jobs j ON j.id = d.job_id ${ where }`,
			values
		);
		const page = values.length;
		const rows = await this.pool.query< DeliveryRow >(
			`${ DELIVERY_SELECT } ${ where } ORDER BY d.seq DESC LIMIT $${ page + 1 } OFFSET $${ page + 2 }`,
			[ ...values, filter.perPage, ( filter.page - 1 ) * filter.perPage ]
		);
		return {
			items: await presentPgDeliveries( this.pool, rows.rows ),
			total: counted.rows[ 0 ]?.total ?? 0,
		};
	}

	async stats(): Promise< QueueStats > {
		const counts = await this.pool.query< { state: JobState; n: number } >(
			'SELECT j.state, COUNT(*)::int AS n FROM deliveries d JOIN jobs j ON j.id = d.job_id GROUP BY j.state'
		);
		const byState = Object.fromEntries(
			counts.rows.map( ( { state, n } ) => [ state, n ] )
		);
		const oldest = await this.pool.query< { oldest: number | null } >(
			`SELECT MIN(d.accepted_at) AS oldest FROM deliveries d JOIN jobs j ON j.id = d.job_id WHERE j.state = 'queued'`
		);
		const first = oldest.rows[ 0 ]?.oldest ?? null;
		return {
			pending: byState.queued ?? 0,
			in_progress: byState.in_progress ?? 0,
			failed: byState.failed ?? 0,
			done: byState.done ?? 0,
			oldest_pending_at:
				first === null ? null : new Date( first ).toISOString(),
		};
	}

	async purgeFinishedBefore( cutoff: number ): Promise< number > {
		return inTransaction( this.pool, async ( client ) => {
			const removed = await client.query(
				`DELETE FROM deliveries WHERE accepted_at < $1
					AND job_id IN (SELECT id FROM jobs WHERE state IN ('done', 'failed'))`,
				[ cutoff ]
			);
			await client.query(
				`DELETE FROM jobs WHERE state IN ('done', 'failed')
					AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.job_id = jobs.id)`
			);
			return removed.rowCount ?? 0;
		} );
	}
}
