/**
 * "Time until all processed": after the load, wait until the bridge's queue and the plugin's
 * spool are empty and the site's database shows the expected outcome. When the queue stays empty
 * but the outcome is not reached (deliveries that failed for good), the wait ends after a grace
 * period and the census says what is missing; the deadline bounds the wait in every case. The
 * database check runs only once the queue looks empty, since the mariadb client blocks the loop.
 */
import { sendWebhook } from '../../integration/support/webhook';
import type { StackSite } from '../../dev/src/stack-file';
import { stack } from '../../integration/support/stack';
import { queuedOver } from './bridge-probe';
import { sleep, stopwatch } from './clock';
import { spooledDeliveries } from './site-census';

/** How long an empty queue may disagree with the database before we accept it as final. */
const SETTLE_GRACE_MS = 5000;

export interface DrainOptions {
	deadlineMs: number;
	/** True once the site shows what the load should have produced. */
	complete: () => boolean;
	/**
	 * Spooled deliveries move to the bridge on the next webhook or WP-Cron run. In production the
	 * CRM keeps sending webhooks; after a fault the benchmark stands in for that traffic with a
	 * `test` webhook every few seconds, and says so in its report.
	 */
	nudgeEveryMs?: number;
	/** The sites whose queues and spools must empty: the stack's first unless told. */
	sites?: readonly StackSite[];
}

export interface DrainResult {
	/** Ms from the call until nothing was left to process; null when the deadline passed first. */
	ms: number | null;
	/** Whether the site showed the expected outcome at that point. */
	complete: boolean;
	/** Deliveries still waiting when the wait ended: late rather than lost. */
	left: { queued: number | null; spooled: number };
}

function spooledOver( sites: readonly StackSite[] ): number {
	return sites.reduce(
		( sum, site ) => sum + spooledDeliveries( site.dbName ),
		0
	);
}

async function leftOver(
	sites: readonly StackSite[]
): Promise< DrainResult[ 'left' ] > {
	return {
		queued: await queuedOver( sites ),
		spooled: spooledOver( sites ),
	};
}

export async function waitUntilProcessed(
	options: DrainOptions
): Promise< DrainResult > {
	const sites = options.sites ?? [ stack() ];
	const elapsed = stopwatch();
	let lastNudge = -Infinity;
	let settledAt: number | null = null;
	while ( elapsed() < options.deadlineMs ) {
		if (
			options.nudgeEveryMs &&
			elapsed() - lastNudge >= options.nudgeEveryMs
		) {
			lastNudge = elapsed();
			for ( const site of sites ) {
				await sendWebhook( 'test', 1, 'form', {}, '/', site ).catch(
					() => undefined
				);
			}
		}
		const settled =
			( await queuedOver( sites ) ) === 0 && spooledOver( sites ) === 0;
		if ( ! settled ) {
			settledAt = null;
		} else if ( options.complete() ) {
			return {
				ms: elapsed(),
				complete: true,
				left: { queued: 0, spooled: 0 },
			};
		} else {
			settledAt ??= elapsed();
			if ( elapsed() - settledAt >= SETTLE_GRACE_MS ) {
				return {
					ms: settledAt,
					complete: false,
					left: { queued: 0, spooled: 0 },
				};
			}
		}
		await sleep( 250 );
	}
	return { ms: null, complete: false, left: await leftOver( sites ) };
}
