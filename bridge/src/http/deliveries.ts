import { isIP } from 'node:net';
import { HttpError } from '../errors';
import { redact } from '../log';
import { DELIVERY_ACTIONS, type DeliveryAction } from '../queue/merge';
import {
	DeliveryBusyError,
	DeliveryNotFoundError,
	JOB_STATES,
	type DeliveryFilter,
	type DeliveryOutcome,
	type JobState,
	type NewDelivery,
	type Queue,
} from '../queue/queue';
import type { SettleWindow } from '../queue/settle';
import type { StormMeter } from '../storm';
import {
	asObject,
	badRequest,
	boundedString,
	oneOf,
	positiveInteger,
	queryInteger,
} from './input';
import type { Reply, Route, RouteRequest } from './route';

/**
 * A job counts as backlog once it has waited this long for a worker. Jobs that workers pick up
 * at once are no backlog; counting them made the plugin stop waiting (answer 202) for as long as
 * webhooks kept arriving one after another, though the bridge was keeping up.
 */
const BACKLOG_GRACE_MS = 1000;

// The plugin holds a PHP worker, and the CRM holds its webhook request, while it waits; its
// wait_budget_ms setting (3000 by default) goes up to this.
export const MAX_WAIT_MS = 20_000;
// What the plugin's user route accepts as `delivery_id` (a job sends its first delivery's id).
const DELIVERY_ID = /^[A-Za-z0-9_-]+$/;
export const ROLE = /^[A-Za-z0-9_-]+$/;
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

function waitForJob(
	queue: Queue,
	meter: StormMeter,
	jobId: number,
	deliveryId: string,
	waitMs: number,
	shutdown: AbortSignal
): Promise< void > {
	return new Promise( ( resolve ) => {
		const finish = (): void => {
			unsubscribe();
			stopOnStorm();
			clearTimeout( timer );
			shutdown.removeEventListener( 'abort', finish );
			resolve();
		};
		// Subscribed before looking, so a job that settles in between is not missed.
		const unsubscribe = queue.onSettled(
			( settled ) => settled === jobId && finish()
		);
		// A storm that begins while this request waits frees its PHP worker at once.
		const stopOnStorm = meter.onStart( finish );
		const timer = setTimeout( finish, waitMs );
		shutdown.addEventListener( 'abort', finish );
		void queue.outcome( deliveryId ).then( ( outcome ) => {
			if (
				waitMs === 0 ||
				shutdown.aborted ||
				outcome?.state === 'done' ||
				outcome?.state === 'failed'
			) {
				finish();
			}
		}, finish );
	} );
}

async function outcomeReply(
	queue: Queue,
	meter: StormMeter,
	outcome: DeliveryOutcome
): Promise< Reply > {
	const deliveryId = outcome.deliveryId;
	switch ( outcome.state ) {
		case 'done':
			return {
				status: 200,
				body: {
					delivery_id: deliveryId,
					state: 'done',
					result: {
						status: outcome.result.status,
						user_id: outcome.result.userId,
						...( outcome.result.reason !== undefined && {
							reason: outcome.result.reason,
						} ),
					},
				},
			};
		case 'failed':
			return {
				status: 200,
				body: {
					delivery_id: deliveryId,
					state: 'failed',
					error: {
						code: outcome.error.code,
						message: outcome.error.message,
						http_status: outcome.error.httpStatus ?? 500,
					},
				},
			};
		default:
			return {
				status: 202,
				body: {
					delivery_id: deliveryId,
					state: 'queued',
					// The plugin stops waiting for a while once backlog > 0 (WaitSlots.php): during
					// a storm no PHP worker should wait, however well the queue keeps up. Not
					// counted then: the count reads every queued job, and a storm fills the queue.
					backlog: meter.isActive()
						? 1
						: await queue.backlog(
								outcome.jobId,
								Date.now() - BACKLOG_GRACE_MS
							),
				},
			};
	}
}

function parseDelivery( body: unknown ): {
	delivery: NewDelivery;
	waitMs: number;
} {
	const input = asObject( body, 'the body' );
	const params = isAbsent( input.params )
		? {}
		: asObject( input.params, 'params' );
	const role =
		params.role === undefined || params.role === null || params.role === ''
			? null
			: boundedString( params.role, 'params.role', 60, ROLE );
	// The CRM's address as the plugin saw it; the peer of this request is WordPress itself.
	const sourceIp = isAbsent( input.source_ip )
		? null
		: boundedString( input.source_ip, 'source_ip', 45 );
	if ( sourceIp !== null && isIP( sourceIp ) === 0 ) {
		throw badRequest( 'source_ip', 'an IPv4 or IPv6 address' );
	}
	return {
		delivery: {
			id: boundedString( input.id, 'id', 64, DELIVERY_ID ),
			action: oneOf< DeliveryAction >(
				input.action,
				DELIVERY_ACTIONS,
				'action'
			),
			contactId: positiveInteger( input.contact_id, 'contact_id' ),
			params: redact( params ) as Record< string, unknown >,
			sendNotification: flag( params.send_notification ),
			role,
			sourceIp,
			receivedAt: timestamp( input.received_at ),
		},
		waitMs: Math.min(
			MAX_WAIT_MS,
			input.wait_ms === undefined ? 0 : waitBudget( input.wait_ms )
		),
	};
}

// PHP encodes an empty array as `[]` and a missing value as null or "".
function isAbsent( value: unknown ): boolean {
	return (
		value === undefined ||
		value === null ||
		value === '' ||
		( Array.isArray( value ) && value.length === 0 )
	);
}

// The CRM's URL says `send_notification=true`; the plugin may pass it on as text.
function flag( value: unknown ): boolean {
	if ( value === undefined || value === null || typeof value === 'boolean' ) {
		return value === true;
	}
	if (
		value === 'true' ||
		value === '1' ||
		value === 'false' ||
		value === '0' ||
		value === ''
	) {
		return value === 'true' || value === '1';
	}
	throw badRequest( 'params.send_notification', 'true or false' );
}

function timestamp( value: unknown ): string {
	if ( value === undefined ) {
		return new Date().toISOString();
	}
	const time =
		typeof value === 'string' && value.length <= 40
			? Date.parse( value )
			: NaN;
	if ( Number.isNaN( time ) ) {
		throw badRequest( 'received_at', 'an ISO-8601 date' );
	}
	return new Date( time ).toISOString();
}

function waitBudget( value: unknown ): number {
	if (
		typeof value !== 'number' ||
		! Number.isSafeInteger( value ) ||
		value < 0
	) {
		throw badRequest( 'wait_ms', 'a whole number of milliseconds' );
	}
	return value;
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
