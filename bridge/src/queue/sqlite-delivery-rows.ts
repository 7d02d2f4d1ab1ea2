import { statement, type Db } from '../database';
import type { DeliveryAction } from './merge';
import type {
	Delivery,
	DeliveryOutcome,
	DeliverySource,
	JobResult,
	JobState,
	ResultStatus,
} from './queue';

/**
 * The read side of the delivery log: a delivery joined with its job, presented as the
 * contract's `Delivery` (docs/architecture.md) with its attempts. The SQL and the rows are the
 * same in PostgreSQL (pg-schema.ts), which reads them through pg-delivery-rows.ts.
 */

export interface DeliveryRow {
	id: string;
	job_id: number;
	merged_into: string | null;
	received_at: string;
	accepted_at: number;
	action: DeliveryAction;
	contact_id: number;
	params: string;
	send_notification: number;
	role: string | null;
	source_ip: string | null;
	source: DeliverySource;
	email: string | null;
	state: JobState;
	result_status: ResultStatus | null;
	user_id: number | null;
	result_reason: string | null;
	error_code: string | null;
	error_message: string | null;
	error_http_status: number | null;
	finished_at: number | null;
	next_attempt_at: number;
}

export interface AttemptRow {
	delivery_id: string;
	n: number;
	started_at: number;
	duration_ms: number;
	error_code: string | null;
	error_message: string | null;
}

export const DELIVERY_SELECT = `
	SELECT d.*, j.state, j.result_status, j.user_id, j.result_reason, j.error_code, j.error_message,
		j.error_http_status, j.finished_at, j.next_attempt_at
	FROM deliveries d JOIN jobs j ON j.id = d.job_id`;

export function selectDeliveryRow(
	db: Db,
	deliveryId: string
): DeliveryRow | undefined {
	return statement( db, `${ DELIVERY_SELECT } WHERE d.id = ?` ).get(
		deliveryId
	) as DeliveryRow | undefined;
}

export function presentDeliveries( db: Db, rows: DeliveryRow[] ): Delivery[] {
	return presentRows(
		rows,
		attemptsOf(
			db,
			rows.map( ( row ) => row.id )
		)
	);
}

/**
 * Pure: delivery rows as the contract's `Delivery`.
 * @param rows     The deliveries joined with their jobs.
 * @param attempts Their attempts, by delivery id, in order ({@link groupAttempts}).
 */
export function presentRows(
	rows: DeliveryRow[],
	attempts: Map< string, AttemptRow[] >
): Delivery[] {
	return rows.map( ( row ) => ( {
		id: row.id,
		source: row.source,
		received_at: row.received_at,
		action: row.action,
		contact_id: row.contact_id,
		params: JSON.parse( row.params ) as Record< string, unknown >,
		source_ip: row.source_ip,
		state: row.state,
		result_status: row.result_status,
		user_id: row.user_id,
		email: row.email,
		error:
			row.error_code === null
				? null
				: {
						code: row.error_code,
						message: row.error_message ?? '',
						http_status: row.error_http_status,
					},
		attempts: ( attempts.get( row.id ) ?? [] ).map( ( attempt ) => ( {
			n: attempt.n,
			started_at: new Date( attempt.started_at ).toISOString(),
			duration_ms: attempt.duration_ms,
			error:
				attempt.error_code === null
					? null
					: {
							code: attempt.error_code,
							message: attempt.error_message ?? '',
						},
		} ) ),
		...( row.merged_into !== null && { merged_into: row.merged_into } ),
		...( row.state === 'queued' && {
			due_at: new Date( row.next_attempt_at ).toISOString(),
		} ),
		duration_ms:
			row.finished_at === null
				? null
				: Math.max( 0, row.finished_at - row.accepted_at ),
	} ) );
}

function attemptsOf(
	db: Db,
	deliveryIds: string[]
): Map< string, AttemptRow[] > {
	const byDelivery = new Map< string, AttemptRow[] >();
	if ( deliveryIds.length === 0 ) {
		return byDelivery;
	}
	return groupAttempts(
		db
			.prepare(
				`SELECT * FROM attempts WHERE delivery_id IN (${ deliveryIds.map( () => '?' ).join( ',' ) })
			ORDER BY delivery_id, n`
			)
			.all( ...deliveryIds ) as AttemptRow[]
	);
}

/**
 * Pure: attempt rows (ordered by delivery and n) by delivery id.
 * @param rows The rows.
 */
export function groupAttempts(
	rows: AttemptRow[]
): Map< string, AttemptRow[] > {
	const byDelivery = new Map< string, AttemptRow[] >();
	for ( const row of rows ) {
		const list = byDelivery.get( row.delivery_id ) ?? [];
		list.push( row );
		byDelivery.set( row.delivery_id, list );
	}
	return byDelivery;
}

/**
 * Pure: how the delivery of a row ended, as the HTTP route answers it.
 * @param row The delivery joined with its job.
 */
export function outcomeOfRow( row: DeliveryRow ): DeliveryOutcome {
	const deliveryId = row.id;
	if ( row.state === 'done' ) {
		return {
			deliveryId,
			state: 'done',
			jobId: row.job_id,
			result: resultOf( row ),
		};
	}
	if ( row.state === 'failed' ) {
		return {
			deliveryId,
			state: 'failed',
			jobId: row.job_id,
			error: {
				code: row.error_code ?? 'failed',
				message: row.error_message ?? '',
				...( row.error_http_status !== null && {
					httpStatus: row.error_http_status,
				} ),
			},
		};
	}
	return { deliveryId, state: row.state, jobId: row.job_id };
}

function resultOf( row: DeliveryRow ): JobResult {
	return {
		status: row.result_status ?? 'skipped',
		userId: row.user_id,
		...( row.result_reason !== null && { reason: row.result_reason } ),
	};
}
