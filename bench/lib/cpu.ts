/**
 * Where the machine's CPU went during a storm, per service of the stack and per executable in
 * it (php -S's group also holds the node process that redacts its log), plus this benchmark
 * process itself, which sends the webhooks. Read from /proc, so it costs the load nothing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { stack } from '../../integration/support/stack';
import { processName, serviceMembers } from './proc';

/** CPU seconds per process id, with the label it is reported under. */
export type CpuSnapshot = Map< number, { label: string; seconds: number } >;

let ticksPerSecond: number | null = null;

function clockTicks(): number {
	ticksPerSecond ??= Number(
		execFileSync( 'getconf', [ 'CLK_TCK' ] ).toString().trim()
	);
	return ticksPerSecond;
}

function cpuSecondsOf( pid: number ): number | null {
	try {
		const stat = fs.readFileSync( `/proc/${ pid }/stat`, 'utf8' );
		const fields = stat.slice( stat.lastIndexOf( ')' ) + 2 ).split( ' ' );
		// utime and stime: fields 14 and 15 of stat, 12 and 13 after the command name.
		return (
			( Number( fields[ 11 ] ) + Number( fields[ 12 ] ) ) / clockTicks()
		);
	} catch {
		return null; // Ended while we looked.
	}
}

/**
 * CPU seconds the whole machine spent busy since boot, every core and every process (other
 * users' too: the machine is shared), from the first line of /proc/stat.
 */
export function machineBusySeconds(): number {
	const fields = (
		fs.readFileSync( '/proc/stat', 'utf8' ).split( '\n' )[ 0 ] ?? ''
	)
		.trim()
		.split( /\s+/ )
		.slice( 1 )
		.map( Number );
	// user nice system idle iowait irq softirq steal (guest time is inside user already).
	const [
		user = 0,
		nice = 0,
		system = 0,
		,
		,
		irq = 0,
		softirq = 0,
		steal = 0,
	] = fields;
	return ( user + nice + system + irq + softirq + steal ) / clockTicks();
}

export function cpuSnapshot(): CpuSnapshot {
	const snapshot: CpuSnapshot = new Map();
	for ( const service of stack().processes ) {
		for ( const pid of serviceMembers( service.pid ) ) {
			const seconds = cpuSecondsOf( pid );
			if ( seconds !== null ) {
				snapshot.set( pid, {
					label: `${ service.name } (${ processName( pid ) })`,
					seconds,
				} );
			}
		}
	}
	const own = process.cpuUsage();
	snapshot.set( process.pid, {
		label: 'benchmark client (node)',
		seconds: ( own.user + own.system ) / 1e6,
	} );
	return snapshot;
}

/**
 * CPU seconds per label between two snapshots, largest first. A process that ended in between
 * (a bridge killed by the faults scenario) is missing its last stretch; one that started counts
 * from zero.
 * @param before The earlier snapshot.
 * @param after  The later one.
 */
export function cpuBetween(
	before: CpuSnapshot,
	after: CpuSnapshot
): [ string, number ][] {
	const byLabel = new Map< string, number >();
	for ( const [ pid, { label, seconds } ] of after ) {
		const spent = seconds - ( before.get( pid )?.seconds ?? 0 );
		byLabel.set( label, ( byLabel.get( label ) ?? 0 ) + spent );
	}
	return [ ...byLabel ].sort( ( a, b ) => b[ 1 ] - a[ 1 ] );
}
