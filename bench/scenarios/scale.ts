/**
 * scale: the same storm of `add` for new contacts as storm-add (CRM instant), end to end, on one
 * stack of its own per configuration (issue 13): one bridge on SQLite, one and three bridges on
 * PostgreSQL, one site; two sites on one bridge (SQLite), the storm split over both; and two sites
 * on three PostgreSQL bridges when the stack supports it (else "not measured" with the reason).
 * For each: throughput, and where the bottleneck was (CPU per process group, queue wait).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../dev/src/paths';
import { down, up } from '../../dev/src/stack';
import {
	clearFaults,
	removeWebhookRules,
} from '../../integration/support/sandbox';
import { configure, stack } from '../../integration/support/stack';
import { bottleneck, cpuGroups } from '../lib/bottleneck';
import type { Figure, Section } from '../lib/model';
import { stormQueueWait } from '../lib/queue-wait';
import type { Scenario, ScenarioContext } from '../lib/scenario';
import type { StormOutcome } from '../lib/storm';
import { stormFigures, stormNotes } from '../lib/storm-figures';
import { addStorm, creationTargets } from './storm-add';

export interface ScaleConfig {
	/** Part of the stack's folder name: `.stack-bench-scale-<slug>`. */
	slug: string;
	title: string;
	db: 'sqlite' | 'postgres';
	bridges: number;
	sites: number;
}

export const SCALE_CONFIGS: readonly ScaleConfig[] = [
	{
		slug: 'sqlite-1',
		title: '1 bridge on SQLite, 1 site',
		db: 'sqlite',
		bridges: 1,
		sites: 1,
	},
	{
		slug: 'pg-1',
		title: '1 bridge on PostgreSQL, 1 site',
		db: 'postgres',
		bridges: 1,
		sites: 1,
	},
	{
		slug: 'pg-3',
		title: '3 bridges on PostgreSQL, 1 site',
		db: 'postgres',
		bridges: 3,
		sites: 1,
	},
	{
		slug: 'sqlite-1-sites-2',
		title: '1 bridge on SQLite, 2 sites (the storm split over both)',
		db: 'sqlite',
		bridges: 1,
		sites: 2,
	},
	{
		slug: 'pg-3-sites-2',
		title: '3 bridges on PostgreSQL, 2 sites (the storm split over both)',
		db: 'postgres',
		bridges: 3,
		sites: 2,
	},
];

/**
 * The stack's sites share one Pulse Sync PHP-FPM pool (4 workers, deploy/php-fpm/pulse-sync.conf):
 * with each site's default 2 waiting webhooks, two sites' waits take all 4 workers and the
 * bridge's user writes find none until each wait's budget ends (measured: every webhook
 * answered 202 after 3 s). So each of several sites lets one webhook wait, and the pool holds as
 * many waiting webhooks as one site's default.
 */
const WAITING_WORKERS_PER_SITE_OF_SEVERAL = 1;

/** The stack tool's variables a configuration sets (the bench's own stack keeps its values). */
const STACK_ENV = [
	'PULSE_STACK_DIR',
	'PULSE_STACK_FILE',
	'PULSE_STACK_DB',
	'PULSE_STACK_BRIDGES',
	'PULSE_STACK_SITES',
] as const;

/**
 * The environment the stack tool reads for a configuration.
 * @param config The configuration.
 */
export function stackEnv(
	config: ScaleConfig
): Record< ( typeof STACK_ENV )[ number ], string > {
	const dir = path.join( ROOT, `.stack-bench-scale-${ config.slug }` );
	return {
		PULSE_STACK_DIR: dir,
		PULSE_STACK_FILE: path.join( dir, 'stack.json' ),
		PULSE_STACK_DB: config.db,
		PULSE_STACK_BRIDGES: String( config.bridges ),
		PULSE_STACK_SITES: String( config.sites ),
	};
}

/**
 * Runs `measure` on a fresh stack of the configuration, then stops it and gives the bench its
 * own stack back (the variables as they were).
 * @param config  The configuration.
 * @param measure What to run on it.
 */
async function onStackOf< T >(
	config: ScaleConfig,
	measure: () => Promise< T >
): Promise< T > {
	const saved = STACK_ENV.map( ( name ) => [ name, process.env[ name ] ] );
	Object.assign( process.env, stackEnv( config ) );
	let result: T;
	try {
		await down();
		fs.rmSync( process.env.PULSE_STACK_DIR as string, {
			recursive: true,
			force: true,
		} );
		await up();
		await removeWebhookRules();
		await clearFaults();
		result = await measure();
	} finally {
		await down();
		for ( const [ name, value ] of saved ) {
			if ( value === undefined ) {
				delete process.env[ name as string ];
			} else {
				process.env[ name as string ] = value;
			}
		}
	}
	return result;
}

interface Measured {
	config: ScaleConfig;
	outcome: StormOutcome;
	section: Section;
}

/**
 * The figures that say where the storm's bottleneck was.
 * @param outcome       The storm.
 * @param queueWait     The deliveries' wait in the bridge's queue.
 * @param queueWait.p50 Median, ms.
 * @param queueWait.p95 95th percentile, ms.
 */
function bottleneckFigures(
	outcome: StormOutcome,
	queueWait: { p50: number | null; p95: number | null }
): { figures: Figure[]; note: string } {
	const groups = cpuGroups(
		outcome.cpu,
		outcome.processedS ?? outcome.loadS
	);
	return {
		figures: [
			{ label: 'queue wait p50', value: queueWait.p50, unit: 'ms' },
			{ label: 'queue wait p95', value: queueWait.p95, unit: 'ms' },
			{
				label: 'cores busy on the machine (every process, also not the stack)',
				value: outcome.machineBusyCores,
				unit: '',
			},
			...groups.map( ( group ): Figure => ( {
				label: `cores busy: ${ group.group }`,
				value: group.cores,
				unit: '',
			} ) ),
		],
		note: `Bottleneck: ${ bottleneck( {
			groups,
			machineCores: os.cpus().length,
			machineBusyCores: outcome.machineBusyCores,
			queueWaitP50Ms: queueWait.p50,
			jobP50Ms: outcome.bridgeTime.job.p50,
		} ) }`,
	};
}

async function measureConfig(
	context: ScenarioContext,
	config: ScaleConfig
): Promise< Measured > {
	console.log( `[bench]   scale: ${ config.title }` );
	return onStackOf( config, async () => {
		const sites = stack().sites;
		if ( sites.length > 1 ) {
			for ( const site of sites ) {
				configure(
					{
						max_waiting_workers:
							WAITING_WORKERS_PER_SITE_OF_SEVERAL,
					},
					site.wpDir
				);
			}
		}
		const outcome = await addStorm( context, 0, { sites } );
		const queueWait = await stormQueueWait(
			sites,
			outcome.contacts,
			outcome.sent
		);
		const where = bottleneckFigures( outcome, queueWait );
		return {
			config,
			outcome,
			section: {
				title: `scale: ${ config.title }`,
				params: {
					webhooks: context.settings.size,
					concurrency: context.settings.concurrency,
					crm_latency_ms: 0,
					database: config.db,
					bridges: config.bridges,
					sites: config.sites,
				},
				figures: [ ...stormFigures( outcome ), ...where.figures ],
				targets: creationTargets( outcome ),
				notes: [
					where.note,
					...( sites.length > 1
						? [
								`Each site's max_waiting_workers is ${ WAITING_WORKERS_PER_SITE_OF_SEVERAL } (default 2): the sites share one 4-worker Pulse Sync PHP-FPM pool, which 2 waiting webhooks per site would fill.`,
							]
						: [] ),
					...stormNotes( outcome ),
				],
			},
		};
	} );
}

/**
 * Each configuration's throughput against the first's (one bridge on SQLite, one site), measured
 * in this run; a configuration that was not measured says why.
 * @param measured The configurations that ran.
 * @param refused  Those the stack refused, with the reason.
 */
export function comparison(
	measured: readonly {
		config: Pick< ScaleConfig, 'title' >;
		throughput: number | null;
	}[],
	refused: readonly { config: Pick< ScaleConfig, 'title' >; reason: string }[]
): Pick< Section, 'figures' | 'notes' > {
	const base = measured[ 0 ]?.throughput ?? null;
	return {
		figures: measured.flatMap( ( { config, throughput } ): Figure[] => [
			{
				label: `throughput: ${ config.title }`,
				value: throughput,
				unit: '/s',
			},
			{
				label: `vs ${ measured[ 0 ]?.config.title }: ${ config.title }`,
				value:
					base === null || throughput === null || base === 0
						? null
						: throughput / base,
				unit: '×',
			},
		] ),
		notes: refused.map(
			( { config, reason } ) =>
				`${ config.title }: not measured: ${ reason }`
		),
	};
}

/** The first line of a refusal, without the stack's log-folder hint. */
function reasonOf( error: unknown ): string {
	return ( error as Error ).message.split( '\n' )[ 0 ] as string;
}

export const scale: Scenario = {
	name: 'scale',
	description:
		'storm-add (CRM instant) on 1 bridge SQLite, 1 and 3 bridges PostgreSQL, 2 sites on SQLite and on PostgreSQL: throughput and bottleneck',
	defaults: { size: 1000, latencyMs: 0, concurrency: 32 },
	quick: { size: 100, latencyMs: 0, concurrency: 8 },
	async run( context ) {
		const measured: Measured[] = [];
		const refused: { config: ScaleConfig; reason: string }[] = [];
		for ( const config of SCALE_CONFIGS ) {
			try {
				measured.push( await measureConfig( context, config ) );
			} catch ( error ) {
				console.error(
					`[bench]   scale: ${ config.title } not measured: ${ reasonOf( error ) }`
				);
				refused.push( { config, reason: reasonOf( error ) } );
			}
		}
		const summary = comparison(
			measured.map( ( { config, outcome } ) => ( {
				config,
				throughput: outcome.throughput,
			} ) ),
			refused
		);
		return {
			sections: [
				{
					title: 'scale: throughput by configuration',
					params: {
						webhooks: context.settings.size,
						concurrency: context.settings.concurrency,
					},
					figures: summary.figures,
					targets: [],
					notes: summary.notes,
				},
				...measured.map( ( { section } ) => section ),
			],
		};
	},
};
