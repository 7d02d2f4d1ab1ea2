/**
 * Issue 13's trial of the two PostgreSQL queue libraries on the bridge's workload, outside the
 * bridge: a private PostgreSQL 15, `--processes` worker processes (stand-ins for bridges) with
 * `--concurrency` jobs each, and a producer (the bridges' HTTP side) storing `--deliveries`
 * deliveries for `--contacts` contacts (interleaved, as a bulk edit sends them) and asking the
 * engine for each contact's job. A job reads the contact's pending deliveries, "works" for
 * `--work-ms` (the CRM calls and the user write), then marks them done, so deliveries arriving
 * while it runs are left to the follow-up job. With `--kill`, one worker process is SIGKILLed at
 * 30% and a new one started, as the scale-out test does to a bridge.
 *
 *   node_modules/.bin/tsx bench/queue-engines/trial.ts [--engine graphile-worker,pg-boss]
 *     [--deliveries 2000] [--contacts 400] [--processes 3] [--concurrency 8] [--work-ms 30] [--kill]
 *
 * Reports per engine: time until every delivery is done, deliveries/s, jobs run (and jobs that
 * found nothing), contacts whose jobs overlapped (must be 0), deliveries never done, the
 * producer's enqueue latency (what a webhook answer pays), and CPU per delivery of the workers
 * and of PostgreSQL, also written to bench/results/<time>-queue-engines[-kill].json. A benchmark,
 * not a test: nothing is asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { startPostgres } from '../../dev/src/postgres';
import { pickPort } from '../../dev/src/ports';
import { stopGroup } from '../../dev/src/processes';
import {
	consumer,
	LEASE_SECONDS,
	prepare,
	producer,
	type EngineName,
} from './engines';

const sleep = ( ms: number ) =>
	new Promise( ( resolve ) => setTimeout( resolve, ms ) );

const TABLES = `
	DROP TABLE IF EXISTS trial_deliveries, trial_runs;
	CREATE TABLE trial_deliveries ( id bigserial PRIMARY KEY, contact_id int NOT NULL, done_run bigint );
	CREATE INDEX ON trial_deliveries ( contact_id ) WHERE done_run IS NULL;
	CREATE TABLE trial_runs ( id bigserial PRIMARY KEY, contact_id int NOT NULL, worker int NOT NULL,
		started_at timestamptz NOT NULL DEFAULT clock_timestamp(), ended_at timestamptz, deliveries int );`;

/** A worker process: runs the engine's consumer until SIGTERM, reporting its CPU time. */
async function workerProcess(
	engine: EngineName,
	url: string,
	concurrency: number,
	workMs: number
) {
	const pool = new Pool( { connectionString: url, max: concurrency + 2 } );
	const handle = async ( contactId: number ) => {
		const run = await pool.query< { id: string } >(
			'INSERT INTO trial_runs ( contact_id, worker ) VALUES ( $1, $2 ) RETURNING id',
			[ contactId, process.pid ]
		);
		const pending = await pool.query< { id: string } >(
			'SELECT id FROM trial_deliveries WHERE contact_id = $1 AND done_run IS NULL',
			[ contactId ]
		);
		await sleep( workMs );
		const ids = pending.rows.map( ( row ) => row.id );
		await pool.query(
			'UPDATE trial_deliveries SET done_run = $1 WHERE id = ANY( $2 ) AND done_run IS NULL',
			[ run.rows[ 0 ]!.id, ids ]
		);
		await pool.query(
			'UPDATE trial_runs SET ended_at = clock_timestamp(), deliveries = $2 WHERE id = $1',
			[ run.rows[ 0 ]!.id, ids.length ]
		);
	};
	const running = await consumer( engine, url, concurrency, handle );
	const report = setInterval(
		() => process.send?.( process.cpuUsage() ),
		500
	);
	process.on( 'SIGTERM', () => {
		clearInterval( report );
		void running.stop().then( async () => {
			process.send?.( process.cpuUsage() );
			await pool.end();
			process.exit( 0 );
		} );
	} );
	process.send?.( 'ready' );
}

/** CPU seconds used so far by every `postgres` process (ours is the only server here). */
function postgresCpuSeconds(): number {
	const ticks = fs.readdirSync( '/proc' ).reduce( ( sum, entry ) => {
		try {
			const stat = fs.readFileSync( `/proc/${ entry }/stat`, 'utf8' );
			if ( ! stat.includes( '(postgres)' ) ) {
				return sum;
			}
			const fields = stat
				.slice( stat.lastIndexOf( ')' ) + 2 )
				.split( ' ' );
			return sum + Number( fields[ 11 ] ) + Number( fields[ 12 ] );
		} catch {
			return sum;
		}
	}, 0 );
	return ticks / 100;
}

/** SIGKILLs the worker process as soon as it is inside a job (within 5 s), as a crash would. */
async function killInAJob(
	admin: Pool,
	worker: ChildProcess
): Promise< void > {
	const deadline = Date.now() + 5000;
	while ( Date.now() < deadline ) {
		const open = await admin.query(
			'SELECT 1 FROM trial_runs WHERE worker = $1 AND ended_at IS NULL LIMIT 1',
			[ worker.pid ]
		);
		if ( open.rowCount ) {
			break;
		}
		await sleep( 5 );
	}
	worker.kill( 'SIGKILL' );
}

function percentile( sorted: number[], p: number ): number {
	return (
		sorted[
			Math.min(
				sorted.length - 1,
				Math.floor( ( sorted.length * p ) / 100 )
			)
		] ?? 0
	);
}

interface TrialOptions {
	deliveries: number;
	contacts: number;
	processes: number;
	concurrency: number;
	workMs: number;
	kill: boolean;
}

async function trial( engine: EngineName, url: string, options: TrialOptions ) {
	const admin = new Pool( { connectionString: url, max: 20 } );
	await admin.query(
		'DROP SCHEMA IF EXISTS graphile_worker CASCADE; DROP SCHEMA IF EXISTS pgboss CASCADE;'
	);
	await admin.query( TABLES );
	await prepare( engine, url );

	const cpu = new Map< number, NodeJS.CpuUsage >();
	const workers: ChildProcess[] = [];
	const startWorker = () =>
		new Promise< ChildProcess >( ( resolve, reject ) => {
			const child = spawn(
				process.execPath,
				[
					...process.execArgv,
					__filename,
					'--worker',
					engine,
					url,
					String( options.concurrency ),
					String( options.workMs ),
				],
				{ stdio: [ 'ignore', 'inherit', 'inherit', 'ipc' ] }
			);
			child.on( 'message', ( message ) => {
				if ( message === 'ready' ) {
					resolve( child );
				} else {
					cpu.set( child.pid!, message as NodeJS.CpuUsage );
				}
			} );
			child.once( 'exit', ( code ) =>
				reject( new Error( `worker exited ${ code }` ) )
			);
			workers.push( child );
		} );
	await Promise.all(
		Array.from( { length: options.processes }, startWorker )
	);

	const send = await producer( engine, url );
	const latencies: number[] = [];
	const postgresBefore = postgresCpuSeconds();
	const started = Date.now();
	let next = 0;
	let killed = false;
	const killAt = Math.floor( options.deliveries * 0.3 );
	// 32 at once, as the CRM sends a storm.
	await Promise.all(
		Array.from( { length: 32 }, async () => {
			while ( next < options.deliveries ) {
				const index = next++;
				if ( options.kill && ! killed && index >= killAt ) {
					killed = true;
					await killInAJob( admin, workers[ 0 ]! );
					void startWorker();
				}
				const contactId = ( index % options.contacts ) + 1;
				const begin = performance.now();
				await admin.query(
					'INSERT INTO trial_deliveries ( contact_id ) VALUES ( $1 )',
					[ contactId ]
				);
				await send.schedule( contactId );
				latencies.push( performance.now() - begin );
			}
		} )
	);
	const sentAfter = Date.now() - started;
	const waitLimit = Date.now() + ( LEASE_SECONDS + 90 ) * 1000;
	let remaining = options.deliveries;
	while ( Date.now() < waitLimit ) {
		const left = await admin.query< { n: string } >(
			'SELECT count(*) AS n FROM trial_deliveries WHERE done_run IS NULL'
		);
		remaining = Number( left.rows[ 0 ]!.n );
		if ( remaining === 0 ) {
			break;
		}
		await sleep( 100 );
	}
	const elapsed = Date.now() - started;
	const postgresCpu = postgresCpuSeconds() - postgresBefore;
	const runs = await admin.query< {
		jobs: string;
		empty: string;
		cut: string;
		cut_redone_at: string | null;
	} >(
		`SELECT count(*) FILTER ( WHERE ended_at IS NOT NULL ) AS jobs,
			count(*) FILTER ( WHERE deliveries = 0 ) AS empty,
			count(*) FILTER ( WHERE ended_at IS NULL ) AS cut,
			extract( epoch FROM max( redo.started_at - cut.started_at ) ) AS cut_redone_at
		 FROM trial_runs
		 LEFT JOIN LATERAL ( SELECT trial_runs.started_at ) cut ON trial_runs.ended_at IS NULL
		 LEFT JOIN LATERAL ( SELECT min( r.started_at ) AS started_at FROM trial_runs r
			WHERE r.contact_id = trial_runs.contact_id AND r.id > trial_runs.id ) redo ON trial_runs.ended_at IS NULL`
	);
	const overlaps = await admin.query< { n: string } >(
		`SELECT count( DISTINCT a.contact_id ) AS n FROM trial_runs a JOIN trial_runs b
		 ON a.contact_id = b.contact_id AND a.id < b.id AND a.ended_at IS NOT NULL AND b.ended_at IS NOT NULL
		 AND a.started_at < b.ended_at AND b.started_at < a.ended_at`
	);
	await send.stop();
	for ( const child of workers.filter(
		( w ) => w.exitCode === null && w.signalCode === null
	) ) {
		child.removeAllListeners( 'exit' );
		const exited = new Promise( ( resolve ) =>
			child.once( 'exit', resolve )
		);
		child.kill( 'SIGTERM' );
		await exited;
	}
	await admin.end();
	const workerCpu =
		[ ...cpu.values() ].reduce(
			( sum, usage ) => sum + usage.user + usage.system,
			0
		) / 1e6;
	latencies.sort( ( a, b ) => a - b );
	const done = options.deliveries - remaining;
	return {
		engine,
		sent_seconds: sentAfter / 1000,
		all_done_seconds: remaining === 0 ? elapsed / 1000 : null,
		deliveries_per_second: Math.round( ( done / elapsed ) * 10000 ) / 10,
		jobs: Number( runs.rows[ 0 ]!.jobs ),
		jobs_that_found_nothing: Number( runs.rows[ 0 ]!.empty ),
		jobs_cut_off_by_the_kill: Number( runs.rows[ 0 ]!.cut ),
		seconds_until_a_cut_off_contact_ran_again:
			runs.rows[ 0 ]!.cut_redone_at === null
				? null
				: Math.round( Number( runs.rows[ 0 ]!.cut_redone_at ) * 10 ) /
					10,
		contacts_with_overlapping_jobs: Number( overlaps.rows[ 0 ]!.n ),
		deliveries_not_done: remaining,
		enqueue_p50_ms: Math.round( percentile( latencies, 50 ) * 10 ) / 10,
		enqueue_p99_ms: Math.round( percentile( latencies, 99 ) * 10 ) / 10,
		worker_cpu_ms_per_delivery:
			Math.round( ( workerCpu * 1e4 ) / options.deliveries ) / 10,
		postgres_cpu_ms_per_delivery:
			Math.round( ( postgresCpu * 1e4 ) / options.deliveries ) / 10,
	};
}

async function main() {
	if ( process.argv[ 2 ] === '--worker' ) {
		const [ , , , engine, url, concurrency, workMs ] = process.argv;
		await workerProcess(
			engine as EngineName,
			url!,
			Number( concurrency ),
			Number( workMs )
		);
		return;
	}
	const { values } = parseArgs( {
		options: {
			engine: { type: 'string', default: 'graphile-worker,pg-boss' },
			deliveries: { type: 'string', default: '2000' },
			contacts: { type: 'string', default: '400' },
			processes: { type: 'string', default: '3' },
			concurrency: { type: 'string', default: '8' },
			'work-ms': { type: 'string', default: '30' },
			kill: { type: 'boolean', default: false },
		},
	} );
	const options: TrialOptions = {
		deliveries: Number( values.deliveries ),
		contacts: Number( values.contacts ),
		processes: Number( values.processes ),
		concurrency: Number( values.concurrency ),
		workMs: Number( values[ 'work-ms' ] ),
		kill: values.kill,
	};
	const dir = fs.mkdtempSync(
		path.join( os.tmpdir(), 'pulse-queue-trial-' )
	);
	fs.chmodSync( dir, 0o755 );
	const postgres = await startPostgres(
		dir,
		dir,
		await pickPort( 'PULSE_TRIAL_PG_PORT', 5544 )
	);
	try {
		const results = [];
		for ( const engine of values.engine.split( ',' ) as EngineName[] ) {
			results.push( {
				...options,
				...( await trial( engine, postgres.url, options ) ),
			} );
			console.log( JSON.stringify( results.at( -1 ) ) );
		}
		const file = path.join(
			__dirname,
			'..',
			'results',
			`${ new Date().toISOString().replace( /[:.]/g, '-' ) }-queue-engines${ options.kill ? '-kill' : '' }.json`
		);
		fs.writeFileSync(
			file,
			JSON.stringify(
				{
					machine: `${ os.cpus().length } cores, Node ${ process.version }`,
					results,
				},
				null,
				'\t'
			) + '\n'
		);
		console.log( `written: ${ path.relative( process.cwd(), file ) }` );
	} finally {
		await stopGroup( postgres.pid, 15000 );
		fs.rmSync( dir, { recursive: true, force: true } );
	}
}

main().catch( ( error: unknown ) => {
	console.error( error );
	process.exit( 1 );
} );
