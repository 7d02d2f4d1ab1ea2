/**
 * Where the bridge's time went during a storm, from its own log (JSON lines in the stack's
 * logs/bridge.log): how long jobs took and how much of that was spent waiting for the CRM. The
 * rest of a job is mostly the WordPress user write, which the bridge does not log separately.
 * This is what a missed throughput target is explained with.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stack } from '../../integration/support/stack';
import { summarize, type LatencySummary } from './stats';

interface LogLine {
	event?: string;
	duration_ms?: number;
}

export interface BridgeTime {
	jobsDone: number;
	retries: number;
	failed: number;
	job: LatencySummary;
	crmCalls: number;
	crmCall: LatencySummary;
	/** Total CRM call time over total job time (CRM calls of one job never overlap). */
	crmShare: number | null;
}

function logFile(): string {
	return path.join( stack().logDir, 'bridge.log' );
}

/** Marks the log's current end; `since` reads what the bridge wrote after it. */
export function bridgeLogMark(): number {
	try {
		return fs.statSync( logFile() ).size;
	} catch {
		return 0;
	}
}

function linesSince( mark: number ): LogLine[] {
	let text: string;
	try {
		const fd = fs.openSync( logFile(), 'r' );
		try {
			const size = fs.fstatSync( fd ).size;
			const buffer = Buffer.alloc( Math.max( 0, size - mark ) );
			fs.readSync( fd, buffer, 0, buffer.length, mark );
			text = buffer.toString( 'utf8' );
		} finally {
			fs.closeSync( fd );
		}
	} catch {
		return [];
	}
	return text.split( '\n' ).flatMap( ( line ) => {
		try {
			return line.startsWith( '{' )
				? [ JSON.parse( line ) as LogLine ]
				: [];
		} catch {
			return [];
		}
	} );
}

export function bridgeTimeSince( mark: number ): BridgeTime {
	const lines = linesSince( mark );
	const durations = ( event: string ) =>
		lines
			.filter(
				( line ) =>
					// The bridge has logged CRM calls as `crm.request` and as `crm.crm.request`.
					( line.event === event ||
						line.event?.endsWith( `.${ event }` ) ) &&
					typeof line.duration_ms === 'number'
			)
			.map( ( line ) => line.duration_ms as number );
	const jobs = durations( 'job.done' );
	const crm = durations( 'crm.request' );
	const jobTotal = jobs.reduce( ( sum, ms ) => sum + ms, 0 );
	const crmTotal = crm.reduce( ( sum, ms ) => sum + ms, 0 );
	return {
		jobsDone: jobs.length,
		retries: lines.filter( ( line ) => line.event === 'job.retry' ).length,
		failed: lines.filter( ( line ) => line.event === 'job.failed' ).length,
		job: summarize( jobs ),
		crmCalls: crm.length,
		crmCall: summarize( crm ),
		crmShare: jobTotal === 0 ? null : crmTotal / jobTotal,
	};
}
