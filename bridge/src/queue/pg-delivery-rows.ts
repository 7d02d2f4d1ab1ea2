import type { PgPool } from '../pg-database';
import type { Delivery } from './queue';
import {
	DELIVERY_SELECT,
	groupAttempts,
	presentRows,
	type AttemptRow,
	type DeliveryRow,
} from './sqlite-delivery-rows';

/** The read side of the delivery log in PostgreSQL: the SQLite side's SQL and presentation. */

/**
 * One delivery joined with its job.
 * @param db         The pool, or a transaction's client.
 * @param deliveryId The delivery.
 */
export async function selectPgDeliveryRow(
	db: Pick< PgPool, 'query' >,
	deliveryId: string
): Promise< DeliveryRow | undefined > {
	const { rows } = await db.query< DeliveryRow >(
		`${ DELIVERY_SELECT } WHERE d.id = $1`,
		[ deliveryId ]
	);
	return rows[ 0 ];
}

/**
 * Rows presented as the contract's `Delivery`, with their attempts.
 * @param pool The pool.
 * @param rows The deliveries joined with their jobs.
 */
export async function presentPgDeliveries(
	pool: PgPool,
	rows: DeliveryRow[]
): Promise< Delivery[] > {
	const attempts = await pool.query< AttemptRow >(
		'SELECT * FROM attempts WHERE delivery_id = ANY($1) ORDER BY delivery_id, n',
		[ rows.map( ( row ) => row.id ) ]
	);
	return presentRows( rows, groupAttempts( attempts.rows ) );
}
