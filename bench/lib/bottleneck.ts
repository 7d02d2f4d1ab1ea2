/**
 * Where a storm's bottleneck was, from what was measured: the CPU of each process group of the
 * stack (bench/lib/cpu.ts labels, `service (process)`) over the storm's wall time, and how long
 * jobs waited in the bridge's queue for a worker. Pure, so its rules are tested (bench/test).
 */

/** The process groups the report names, by the stack's service names (stack.json `processes`). */
const GROUP_OF_SERVICE: [ RegExp, string ][] = [
	[ /^bridge(-\d+)?$/, 'bridge processes' ],
	[ /^bridge-front$/, 'nginx in front of the bridges' ],
	[ /^postgres$/, 'PostgreSQL' ],
	[ /^mariadb$/, 'MariaDB' ],
	[ /^crm-sandbox$/, 'CRM sandbox' ],
	[ /^nginx$/, 'nginx' ],
	[ /^php$/, 'php -S' ],
	[ /^benchmark client$/, 'benchmark client' ],
];

/** At or above this share of the machine's cores busy, the storm was bound by the CPU. */
export const SATURATED_SHARE = 0.85;

export interface CpuGroup {
	group: string;
	seconds: number;
	/** Cores busy on average over the wall time. */
	cores: number;
}

/**
 * The group a CPU label belongs to: PHP-FPM by pool (`php-fpm (pool pulse-sync)`), the others
 * by service.
 * @param label A label of cpuBetween, `service (process)`.
 */
export function groupOf( label: string ): string {
	const [ , service = label, process = '' ] =
		/^(.*?) \((.*)\)$/.exec( label ) ?? [];
	if ( service === 'php-fpm' ) {
		return process.startsWith( 'pool ' )
			? `PHP-FPM ${ process }`
			: 'PHP-FPM master';
	}
	return (
		GROUP_OF_SERVICE.find( ( [ pattern ] ) =>
			pattern.test( service )
		)?.[ 1 ] ?? service
	);
}

/**
 * CPU seconds per group, largest first, with the cores each kept busy.
 * @param cpu   CPU seconds per label (cpuBetween).
 * @param wallS The storm's wall time (first webhook until all processed).
 */
export function cpuGroups(
	cpu: readonly [ string, number ][],
	wallS: number
): CpuGroup[] {
	const seconds = new Map< string, number >();
	for ( const [ label, spent ] of cpu ) {
		const group = groupOf( label );
		seconds.set( group, ( seconds.get( group ) ?? 0 ) + spent );
	}
	return [ ...seconds ]
		.map( ( [ group, spent ] ) => ( {
			group,
			seconds: spent,
			cores: wallS > 0 ? spent / wallS : 0,
		} ) )
		.sort( ( a, b ) => b.seconds - a.seconds );
}

export interface BottleneckInput {
	groups: readonly CpuGroup[];
	machineCores: number;
	/** Cores the whole machine kept busy, every process (the machine is shared); null if unknown. */
	machineBusyCores: number | null;
	/** Median wait of a job in the bridge's queue before a worker took it; null if unknown. */
	queueWaitP50Ms: number | null;
	/** Median job duration once a worker had it; null if unknown. */
	jobP50Ms: number | null;
}

/**
 * One sentence: the CPU when the machine was saturated (by the stack, or with other users' work
 * on the shared machine; who used it), else whether jobs
 * queued behind the bridge's workers (the pipeline) or not (the load itself was the limit).
 * @param input What was measured.
 */
export function bottleneck( input: BottleneckInput ): string {
	const busy = input.groups.reduce( ( sum, group ) => sum + group.cores, 0 );
	const top = input.groups
		.slice( 0, 3 )
		.map(
			( group ) =>
				`${ group.group } ${ group.cores.toFixed( 2 ) } (${ Math.round( ( 100 * group.cores ) / Math.max( busy, 1e-9 ) ) }%)`
		)
		.join( ', ' );
	const machine = Math.max( busy, input.machineBusyCores ?? 0 );
	const cores = `${ busy.toFixed( 2 ) } of ${ input.machineCores } cores busy with the stack, ${ machine.toFixed( 2 ) } with every process of the machine`;
	if ( machine >= SATURATED_SHARE * input.machineCores ) {
		return `CPU: ${ cores }; the largest users: ${ top }.`;
	}
	const waited =
		input.queueWaitP50Ms !== null &&
		input.jobP50Ms !== null &&
		input.queueWaitP50Ms > input.jobP50Ms;
	return waited
		? `The pipeline, not the CPU (${ cores }): jobs waited ${ Math.round( input.queueWaitP50Ms as number ) } ms (p50) in the queue, longer than a job takes (${ Math.round( input.jobP50Ms as number ) } ms); CPU: ${ top }.`
		: `Neither the CPU (${ cores }) nor the queue (jobs waited ${ input.queueWaitP50Ms === null ? 'an unknown time' : `${ Math.round( input.queueWaitP50Ms ) } ms p50` }): the sender's concurrency and the answer path set the pace; CPU: ${ top }.`;
}
