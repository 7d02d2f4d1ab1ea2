import { HttpError } from '../errors';
import { DELIVERY_ACTIONS, type DeliveryAction } from '../queue/merge';
import {
	DeliveryBusyError,
	DeliveryNotFoundError,
	JOB_STATES,
	type DeliveryFilter,
	type DeliveryOutcome,
	type JobState,
	type Queue,
} from '../queue/queue';
import type { SettleWindow } from '../queue/settle';
import type { StormMeter } from '../storm';
import { parseDelivery } from './delivery-request';
import { outcomeReply, waitForJob } from './delivery-wait';
import { boundedString, oneOf, queryInteger } from './input';
import type { Reply, Route, RouteRequest } from './route';

const MAX_PER_PAGE = 100;

/** What the route does about webhook storms (storm.ts). */
export interface StormHandling {
	meter: StormMeter;
	/** How long update jobs settle during a storm. */
	settle: SettleWindow;
}

export function deliveryRoutes( queue: Queue, storm: StormHandling ): Route[] {
	return [
		{
			method: 'POST',
			path: '/v1/deliveries',
			signed: true,
			handle: ( request ) => acceptDelivery( queue, storm, request ),
		},
		{
			method: 'GET',
			path: '/v1/deliveries',
			signed: true,
			handle: ( request ) => listDeliveries( queue, request ),
		},
		{
			method: 'GET',
			path: '/v1/deliveries/:id',
			signed: true,
			handle: async ( { params } ) => {
				const delivery = await queue.getDelivery( params.id as string );
				if ( delivery === null ) {
					throw notFound( params.id as string );
				}
				return { status: 200, body: delivery };
			},
		},
		{
			method: 'POST',
			path: '/v1/deliveries/:id/replay',
			signed: true,
			handle: async ( { params } ) => {
				try {
					const { deliveryId } = await queue.replay(
						params.id as string
					);
					return {
						status: 202,
						body: { delivery_id: deliveryId, state: 'queued' },
					};
				} catch ( error ) {
					if ( error instanceof DeliveryNotFoundError ) {
						throw notFound( params.id as string );
					}
					if ( error instanceof DeliveryBusyError ) {
						throw new HttpError(
							409,
							'delivery_busy',
							error.message
						);
					}
					throw error;
				}
			},
		},
	];
}

/**
 * Stores the delivery (durably, before any answer), then waits up to `wait_ms` for its job.
 * A repeated forward of the same id is stored once and answered with its current state.
 * During a storm nothing waits: each waiting request holds one of the site's few PHP workers,
 * which the storm's other webhooks and the bridge's own user writes need.
 * @param queue   The durable queue.
 * @param storm   The storm meter and settle window.
 * @param request The signed, parsed request.
 */
async function acceptDelivery(
	queue: Queue,
	storm: StormHandling,
	request: RouteRequest
): Promise< Reply > {
	const { delivery, waitMs } = parseDelivery( request.body );
	// Counted before it is queued, so the delivery that starts a storm settles already.
	const inStorm = storm.meter.record();
	const { jobId } = await queue.accept(
		delivery,
		inStorm ? storm.settle : null
	);
	if ( ! inStorm ) {
		await waitForJob(
			queue,
			storm.meter,
			jobId,
			delivery.id,
			waitMs,
			request.shutdown
		);
	}
	return outcomeReply(
		queue,
		storm.meter,
		( await queue.outcome( delivery.id ) ) as DeliveryOutcome
	);
}

async function listDeliveries(
	queue: Queue,
	{ query }: RouteRequest
): Promise< Reply > {
	const filter: DeliveryFilter = {
		page: queryInteger( query, 'page', 1, 1, 1_000_000 ),
		perPage: queryInteger( query, 'per_page', 20, 1, MAX_PER_PAGE ),
	};
	const status = query.get( 'status' );
	if ( status ) {
		// The status screen calls queued deliveries "pending".
		filter.status = oneOf< JobState >(
			status === 'pending' ? 'queued' : status,
			JOB_STATES,
			'status'
		);
	}
	const action = query.get( 'action' );
	if ( action ) {
		filter.action = oneOf< DeliveryAction >(
			action,
			DELIVERY_ACTIONS,
			'action'
		);
	}
	if ( query.has( 'contact_id' ) ) {
		filter.contactId = queryInteger(
			query,
			'contact_id',
			0,
			1,
			Number.MAX_SAFE_INTEGER
		);
	}
	const email = query.get( 'email' );
	if ( email ) {
		filter.email = boundedString( email, 'email', 254 );
	}
	const { items, total } = await queue.listDeliveries( filter );
	return {
		status: 200,
		body: { items, total, page: filter.page, per_page: filter.perPage },
	};
}

function notFound( id: string ): HttpError {
	return new HttpError(
		404,
		'delivery_not_found',
		`No delivery with id ${ id }.`
	);
}
