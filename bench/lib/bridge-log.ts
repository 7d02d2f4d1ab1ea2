/**
 * Where the bridge's time went during a storm, from its own log (JSON lines in the stack's
 * logs/bridge.log, or every fleet member's logs/bridge-N.log): how long jobs took and how much of that was spent waiting for the CRM. The
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

/** The bridges' logs: `bridge.log`, or `bridge-1.log`… of a fleet (not its nginx's). */
function logFiles(): string[] {
	const dir = stack().logDir;
	try {
		return fs
			.readdirSync( dir )
			.filter( ( name ) => /^bridge(-\d+)?\.log$/.test( name ) )
			.map( ( name ) => path.join( dir, name ) );
	} catch {
		return [];
	}
}

/** Each bridge log's current end; `bridgeTimeSince` reads what the bridges wrote after it. */
export type BridgeLogMark = Map< string, number >;

export function bridgeLogMark(): BridgeLogMark {
	return new Map(
		logFiles().map( ( file ) => {
			try {
				return [ file, fs.statSync( file ).size ];
			} catch {
				return [ file, 0 ];
			}
		} )
	);
}

function linesSince( marks: BridgeLogMark ): LogLine[] {
	return logFiles().flatMap( ( file ) =>
		linesOf( file, marks.get( file ) ?? 0 )
	);
}

function linesOf( file: string, mark: number ): LogLine[] {
	let text: string;
	try {
		const fd = fs.openSync( file, 'r' );
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

export function bridgeTimeSince( mark: BridgeLogMark ): BridgeTime {
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
