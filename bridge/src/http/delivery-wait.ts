/**
 * The long poll of `POST /v1/deliveries`: the request waits for its job (up to `wait_ms`), then
 * answers the outcome, or 202 with the backlog that tells the plugin whether to keep waiting
 * next time (docs/architecture.md, "The nested call and flow control").
 */
import type { DeliveryOutcome, Queue } from '../queue/queue';
import type { StormMeter } from '../storm';
import type { Reply } from './route';

/**
 * A job counts as backlog once it has waited this long for a worker. Jobs that workers pick up
 * at once are no backlog; counting them made the plugin stop waiting (answer 202) for as long as
 * webhooks kept arriving one after another, though the bridge was keeping up.
 */
const BACKLOG_GRACE_MS = 1000;

/**
 * Resolves when the job settles, `waitMs` passes, a storm begins or the bridge stops.
 * @param queue      The durable queue.
 * @param meter      The storm meter.
 * @param jobId      The delivery's job.
 * @param deliveryId The delivery.
 * @param waitMs     The plugin's wait budget.
 * @param shutdown   Aborted when the bridge stops.
 */
export function waitForJob(
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

/**
 * The answer for the delivery's outcome: 200 done or failed, else 202 with the backlog.
 * @param queue   The durable queue.
 * @param meter   The storm meter.
 * @param outcome The delivery's outcome now.
 */
export async function outcomeReply(
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
					// The plugin stops waiting for a while once backlog > 0 (Webhook/FlowControl.php): during
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
