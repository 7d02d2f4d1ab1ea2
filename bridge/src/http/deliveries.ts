import { DeliveryListQuery } from '@pulse-sync/contracts';
import { HttpError } from '../errors';
import {
	DeliveryBusyError,
	DeliveryNotFoundError,
	type DeliveryFilter,
	type DeliveryOutcome,
	type Queue,
} from '../queue/queue';
import type { SettleWindow } from '../queue/settle';
import type { StormMeter } from '../storm';
import { parseDelivery } from './delivery-request';
import { outcomeReply, waitForJob } from './delivery-wait';
import { parseQuery } from './input';
import type { Reply, Route, RouteRequest } from './route';

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
	const {
		page,
		per_page: perPage,
		...where
	} = parseQuery( DeliveryListQuery, query );
	const filter: DeliveryFilter = {
		page,
		perPage,
		status: where.status,
		action: where.action,
		contactId: where.contact_id,
		email: where.email,
	};
	const { items, total } = await queue.listDeliveries( filter );
	return {
		status: 200,
		body: { items, total, page, per_page: perPage },
	};
}

function notFound( id: string ): HttpError {
	return new HttpError(
		404,
		'delivery_not_found',
		`No delivery with id ${ id }.`
	);
}
