/**
 * The two PostgreSQL job-queue libraries issue 13 asks us to try, each reduced to what the bridge
 * needs from a queue engine: "make sure one job for this contact runs (soon, after any running
 * one)" on the producer side, and "run jobs, one at a time per contact" on the worker side.
 *
 * - graphile-worker 0.17: a named queue per contact (`queueName`) runs its jobs one at a time;
 *   a `jobKey` per contact with mode `replace` updates the contact's waiting job, or, when that job
 *   is running (locked), adds one follow-up job. Jobs are pushed with LISTEN/NOTIFY.
 * - pg-boss 10: a `stately` queue allows one queued and one active job per `singletonKey`, so a
 *   send while one waits is refused (`null`): the waiting job will see the new delivery. Workers
 *   poll (at least every 0.5 s). A job not completed within `expireInSeconds` is retried.
 *
 * Versions are pinned to the last releases that run on Node 20 (0.18 and pg-boss 11+ need 22).
 */
import PgBoss from 'pg-boss';
import { Logger, makeWorkerUtils, run, runMigrations } from 'graphile-worker';

export type EngineName = 'graphile-worker' | 'pg-boss';

export interface Producer {
	/** Asks for a job for the contact; resolves once the engine has stored what it needs. */
	schedule: ( contactId: number ) => Promise< void >;
	stop: () => Promise< void >;
}

export interface Consumer {
	stop: () => Promise< void >;
}

export type ContactHandler = ( contactId: number ) => Promise< void >;

/** How long a job of a crashed worker stays claimed before another worker may run it. */
export const LEASE_SECONDS = 30;

const TASK = 'sync_contact';

/** graphile-worker logs every job at info level: keep warnings and errors only. */
const quietLogger = new Logger( () => ( level, message ) => {
	if ( level === 'warning' || level === 'error' ) {
		console.error( `[graphile-worker] ${ level }: ${ message }` );
	}
} );
const contactKey = ( contactId: number ) => `contact-${ contactId }`;

function newBoss( url: string ): PgBoss {
	return new PgBoss( {
		connectionString: url,
		max: 10,
		// Expired jobs (a crashed worker's) are found by maintenance: check often.
		maintenanceIntervalSeconds: 5,
		monitorStateIntervalSeconds: 30,
	} );
}

export async function prepare(
	engine: EngineName,
	url: string
): Promise< void > {
	if ( engine === 'graphile-worker' ) {
		await runMigrations( { connectionString: url, logger: quietLogger } );
		return;
	}
	const boss = newBoss( url );
	await boss.start();
	await boss.createQueue( TASK, {
		name: TASK,
		policy: 'stately',
		expireInSeconds: LEASE_SECONDS,
		retryLimit: 100,
		retryDelay: 0,
	} );
	await boss.stop( { graceful: false, wait: true } );
}

export async function producer(
	engine: EngineName,
	url: string
): Promise< Producer > {
	if ( engine === 'graphile-worker' ) {
		const utils = await makeWorkerUtils( {
			connectionString: url,
			logger: quietLogger,
		} );
		return {
			async schedule( contactId ) {
				await utils.addJob(
					TASK,
					{ contactId },
					{
						queueName: contactKey( contactId ),
						jobKey: contactKey( contactId ),
						jobKeyMode: 'replace',
						maxAttempts: 100,
					}
				);
			},
			stop: async () => {
				await utils.release();
			},
		};
	}
	const boss = newBoss( url );
	boss.on( 'error', () => {} );
	await boss.start();
	return {
		async schedule( contactId ) {
			// null = a job for this contact is already waiting; it will see the new delivery.
			await boss.send(
				TASK,
				{ contactId },
				{ singletonKey: contactKey( contactId ) }
			);
		},
		stop: () => boss.stop( { graceful: false, wait: true } ),
	};
}

export async function consumer(
	engine: EngineName,
	url: string,
	concurrency: number,
	handle: ContactHandler
): Promise< Consumer > {
	if ( engine === 'graphile-worker' ) {
		const runner = await run( {
			connectionString: url,
			concurrency,
			noHandleSignals: true,
			logger: quietLogger,
			pollInterval: 1000,
			taskList: {
				[ TASK ]: async ( payload ) =>
					handle( ( payload as { contactId: number } ).contactId ),
			},
		} );
		return { stop: () => runner.stop() };
	}
	const boss = newBoss( url );
	boss.on( 'error', () => {} );
	await boss.start();
	// pg-boss 10 has no concurrency option: each work() is one polling loop taking one job.
	for ( let i = 0; i < concurrency; i++ ) {
		await boss.work< { contactId: number } >(
			TASK,
			{ batchSize: 1, pollingIntervalSeconds: 0.5 },
			async ( [ job ] ) => {
				if ( job ) {
					await handle( job.data.contactId );
				}
			}
		);
	}
	return { stop: () => boss.stop( { graceful: true, wait: true } ) };
}
