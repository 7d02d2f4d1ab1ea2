/**
 * Watching the bridge from outside: its queue (signed GET /v1/status), its memory (/proc, since
 * the bridge reports none) and how many deliveries it merged (read-only from its SQLite file,
 * because the HTTP API lists deliveries but offers no count of merged ones).
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { callBridge } from '../../dev/src/seed';
import { stateDir } from '../../dev/src/paths';
import type { StackSite } from '../../dev/src/stack-file';
import { stack } from '../../integration/support/stack';
import { groupMembers, residentKb } from './proc';

export interface QueueStats {
	pending: number;
	in_progress: number;
	failed: number;
	done: number;
}

/**
 * Null while the bridge does not answer (killed, restarting).
 * @param site Whose queue: the stack's first site unless told (PULSE_STACK_SITES).
 */
export async function queueStats(
	site: Pick< StackSite, 'bridgeUrl' | 'bridgeSecret' > = stack()
): Promise< QueueStats | null > {
	try {
		const status = ( await callBridge( site, 'GET', '/v1/status' ) ) as {
			queue: QueueStats;
		};
		return status.queue;
	} catch {
		return null;
	}
}

/** The stack's bridge, or each bridge of its fleet (`bridge-1`…; not their nginx, `bridge-front`). */
const isBridge = ( name: string ) => /^bridge(-\d+)?$/.test( name );

/** The largest resident set of one bridge process (of any bridge of a fleet), in MB. */
export function bridgeRssMb(): number | null {
	const sizes = stack()
		.processes.filter( ( owned ) => isBridge( owned.name ) )
		.flatMap( ( owned ) => groupMembers( owned.pid ) )
		.map( residentKb );
	return sizes.length === 0 ? null : Math.max( ...sizes ) / 1024;
}

/**
 * Samples the bridge's RSS and queue depth every `intervalMs` until stopped. Reading /proc is
 * cheap and asynchronous to the load, so sampling does not disturb the latencies measured.
 */
export class BridgeWatch {
	peakRssMb: number | null = null;
	peakQueued = 0;
	private timer: NodeJS.Timeout | null = null;
	private polling = false;

	/** @param sites Whose queues are added up: the stack's first site unless told. */
	constructor( private readonly sites?: readonly StackSite[] ) {}

	start( intervalMs = 500 ): this {
		this.timer = setInterval( () => this.sample(), intervalMs );
		return this;
	}

	stop(): void {
		if ( this.timer ) {
			clearInterval( this.timer );
			this.timer = null;
		}
		this.sample();
	}

	private sample(): void {
		const rss = bridgeRssMb();
		if ( rss !== null ) {
			this.peakRssMb = Math.max( this.peakRssMb ?? 0, rss );
		}
		if ( this.polling ) {
			return;
		}
		this.polling = true;
		queuedOver( this.sites )
			.then( ( queued ) => {
				if ( queued !== null ) {
					this.peakQueued = Math.max( this.peakQueued, queued );
				}
			} )
			.finally( () => {
				this.polling = false;
			} );
	}
}

/**
 * Deliveries queued or running over the sites' queues; null while a bridge does not answer.
 * @param sites The sites: the stack's first unless told.
 */
export async function queuedOver(
	sites: readonly StackSite[] = [ stack() ]
): Promise< number | null > {
	const stats = await Promise.all(
		sites.map( ( site ) => queueStats( site ) )
	);
	return stats.some( ( queue ) => queue === null )
		? null
		: stats.reduce(
				( sum, queue ) =>
					sum +
					( queue as QueueStats ).pending +
					( queue as QueueStats ).in_progress,
				0
			);
}

/**
 * One `COUNT(*) AS n` query, read-only on the bridge's SQLite file; null when it cannot be read.
 * @param sql The query.
 */
function countInBridgeDb( sql: string ): number | null {
	const file = path.join( stateDir(), 'bridge.sqlite' );
	try {
		const db = new Database( file, {
			readonly: true,
			fileMustExist: true,
		} );
		try {
			return ( db.prepare( sql ).get() as { n: number } ).n;
		} finally {
			db.close();
		}
	} catch {
		return null;
	}
}

/** Deliveries folded into another delivery's job, over the whole bridge database. */
export function mergedDeliveries(): number | null {
	return countInBridgeDb(
		'SELECT COUNT(*) AS n FROM deliveries WHERE merged_into IS NOT NULL'
	);
}

/** Deliveries with an attempt that failed because the CRM answered 429, and those that ended so. */
export function rateLimitedDeliveries(): {
	attempts: number | null;
	failed: number | null;
} {
	return {
		attempts: countInBridgeDb(
			"SELECT COUNT(DISTINCT delivery_id) AS n FROM attempts WHERE error_code = 'crm_rate_limited'"
		),
		failed: countInBridgeDb(
			"SELECT COUNT(*) AS n FROM deliveries d JOIN jobs j ON j.id = d.job_id WHERE j.state = 'failed' AND j.error_code = 'crm_rate_limited'"
		),
	};
}
