/**
 * `npm run bench`: brings up a stack of its own in .stack-bench (never a developer's .stack),
 * runs the scenarios, writes bench/results/<timestamp>.json and .md, prints the summary, and
 * always stops the stack. See bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../dev/src/paths';
import { down, up } from '../dev/src/stack';
import {
	clearFaults,
	removeWebhookRules,
} from '../integration/support/sandbox';
import { stopwatch } from './lib/clock';
import { renderMarkdown } from './lib/markdown';
import type { BenchReport, ScenarioResult } from './lib/model';
import {
	parseOptions,
	usage,
	UsageError,
	type BenchOptions,
} from './lib/options';
import { describeWorkers } from './lib/web-workers';
import { describeServer } from '../dev/src/web-server';
import type { Scenario, ScenarioContext } from './lib/scenario';
import { bulkEdit } from './scenarios/bulk-edit';
import { crmLimit } from './scenarios/crm-limit';
import { faults } from './scenarios/faults';
import { importScenario } from './scenarios/import';
import { limit } from './scenarios/limit';
import { sameContact } from './scenarios/same-contact';
import { scale } from './scenarios/scale';
import { single } from './scenarios/single';
import { stormAdd } from './scenarios/storm-add';
import { writeCost } from './scenarios/write-cost';

/**
 * The bridge runs with its shipped defaults (adaptive CRM pacing, bridge/src/config/settings.ts);
 * the report names any of these a caller set in the environment, since they change the figures.
 */
const BRIDGE_TUNING_ENV = [
	'PULSE_SYNC_CRM_REQUESTS_PER_SECOND',
	'PULSE_SYNC_CRM_CONCURRENCY',
	'PULSE_SYNC_WORKERS',
	'PULSE_SYNC_WP_CONCURRENCY',
	'PULSE_SYNC_WP_BATCH_SIZE',
] as const;

/** `limit` first: the storms report their throughput as a share of it. */
const SCENARIOS: Scenario[] = [
	limit,
	writeCost,
	single,
	stormAdd,
	bulkEdit,
	sameContact,
	faults,
	crmLimit,
	importScenario,
	scale,
];

const STATE_DIR = path.join( ROOT, '.stack-bench' );
const RESULTS_DIR = path.join( ROOT, 'bench', 'results' );

/** Default bound, in seconds, on every load and on every wait for processing, so a run always ends. */
const TIME_LIMIT_S = { full: 240, quick: 120 };

function contextFor(
	scenario: Scenario,
	options: BenchOptions,
	machineLimit: number | null
): ScenarioContext {
	const base = options.quick ? scenario.quick : scenario.defaults;
	const timeLimitS =
		options.timeLimitS ??
		( options.quick ? TIME_LIMIT_S.quick : TIME_LIMIT_S.full );
	return {
		settings: {
			size: options.sizeFor[ scenario.name ] ?? options.size ?? base.size,
			latencyMs: options.latencyMs ?? base.latencyMs,
			concurrency: options.concurrency ?? base.concurrency,
		},
		quick: options.quick,
		machineLimit,
		timeLimitMs: timeLimitS * 1000,
		drainDeadlineMs: timeLimitS * 1000,
	};
}

async function runScenarios(
	options: BenchOptions,
	report: BenchReport
): Promise< void > {
	const chosen = SCENARIOS.filter(
		( scenario ) =>
			options.scenarios.length === 0 ||
			options.scenarios.includes( scenario.name )
	);
	for ( const scenario of chosen ) {
		const context = contextFor( scenario, options, report.machineLimit );
		console.log(
			`[bench] ${ scenario.name }: size ${ context.settings.size }, concurrency ${ context.settings.concurrency }, CRM latency ${ context.settings.latencyMs } ms`
		);
		const elapsed = stopwatch();
		const result: ScenarioResult = {
			scenario: scenario.name,
			sections: [],
			durationS: 0,
		};
		try {
			const output = await scenario.run( context );
			result.sections = output.sections;
			report.machineLimit = output.machineLimit ?? report.machineLimit;
		} catch ( error ) {
			result.error = ( error as Error ).message;
			console.error(
				`[bench] ${ scenario.name } failed: ${ result.error }`
			);
			// Whatever the scenario injected must not leak into the next one.
			await clearFaults().catch( () => undefined );
		}
		result.durationS = elapsed() / 1000;
		report.scenarios.push( result );
		// After every scenario, so an interrupted run still leaves what it measured.
		writeResults( report );
	}
}

/** bench/results/<ISO timestamp>.json and .md, named after the run's start; returns the .md text. */
function writeResults( report: BenchReport ): string {
	fs.mkdirSync( RESULTS_DIR, { recursive: true } );
	const name = report.startedAt
		.replace( /:/g, '-' )
		.replace( /\.\d+Z$/, 'Z' );
	const markdown = renderMarkdown( report );
	fs.writeFileSync(
		path.join( RESULTS_DIR, `${ name }.json` ),
		JSON.stringify( report, null, 2 ) + '\n'
	);
	fs.writeFileSync(
		path.join( RESULTS_DIR, `${ name }.md` ),
		markdown + '\n'
	);
	console.log(
		`[bench] results so far in bench/results/${ name }.json and .md`
	);
	return markdown;
}

async function main(): Promise< number > {
	const known = SCENARIOS.map( ( scenario ) => scenario.name );
	const argv = process.argv.slice( 2 );
	let options: BenchOptions;
	try {
		options = parseOptions( argv, known );
	} catch ( error ) {
		if ( error instanceof UsageError ) {
			console.error( `${ error.message }\n\n${ usage( known ) }` );
			return error.exitCode;
		}
		throw error;
	}
	if ( options.help ) {
		console.log( usage( known ) );
		return 0;
	}

	const bridgeEnv = Object.fromEntries(
		BRIDGE_TUNING_ENV.filter(
			( name ) => ( process.env[ name ] ?? '' ) !== ''
		).map( ( name ) => [ name, process.env[ name ] as string ] )
	);
	console.log(
		`[bench] bridge: ${ Object.keys( bridgeEnv ).length === 0 ? 'shipped defaults' : JSON.stringify( bridgeEnv ) }`
	);
	// Set before anything reads them: the stack tool and integration/support find the stack here.
	process.env.PULSE_STACK_DIR = STATE_DIR;
	process.env.PULSE_STACK_FILE = path.join( STATE_DIR, 'stack.json' );
	// Measured on the web server production runs (PULSE_STACK_SERVER=php to compare with php -S).
	process.env.PULSE_STACK_SERVER ||= 'nginx';
	const stopOnSignal = ( signal: NodeJS.Signals ) => {
		console.error( `[bench] ${ signal }: stopping the benchmark stack` );
		down().finally( () => process.exit( 130 ) );
	};
	process.once( 'SIGINT', stopOnSignal );
	process.once( 'SIGTERM', stopOnSignal );

	try {
		// A fresh state folder every run: earlier users and queued deliveries would skew the figures.
		await down();
		fs.rmSync( STATE_DIR, { recursive: true, force: true } );
		const info = await up();
		await removeWebhookRules();
		await clearFaults();
		const cpus = os.cpus();
		const report: BenchReport = {
			startedAt: new Date().toISOString(),
			command: [
				'npm run bench',
				...( argv.length > 0 ? [ '--', ...argv ] : [] ),
			].join( ' ' ),
			machine: {
				cores: cpus.length,
				cpu: cpus[ 0 ]?.model ?? 'unknown',
				memoryGb: os.totalmem() / 2 ** 30,
				node: process.version,
			},
			stack: {
				wpVersion: info.wpVersion,
				bridgeEnv,
				server: describeServer( info.server ),
				phpWorkers: describeWorkers( info.processes ),
			},
			quick: options.quick,
			finished: false,
			machineLimit: null,
			scenarios: [],
		};
		await runScenarios( options, report );
		report.finished = true;
		console.log( `\n${ writeResults( report ) }` );
		return report.scenarios.some( ( scenario ) => scenario.error ) ? 1 : 0;
	} finally {
		await clearFaults().catch( () => undefined );
		await down();
	}
}

main().then(
	( code ) => process.exit( code ),
	( error: Error ) => {
		console.error( `[bench] ${ error.message }` );
		process.exit( 1 );
	}
);
