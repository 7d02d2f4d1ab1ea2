import { openDatabase, type Db } from '../src/database';
import { JobFailedError } from '../src/jobs/failure';
import { silentLogger } from '../src/log';
import type { ClaimedJob, JobResult } from '../src/queue/queue';
import { SqliteQueue } from '../src/queue/sqlite-queue';
import { Worker, type JobRunner } from '../src/worker';
import { newDelivery } from './support/deliveries';

describe( 'Worker', () => {
	let db: Db;
	let queue: SqliteQueue;
	let worker: Worker | null;

	beforeEach( () => {
		db = openDatabase( ':memory:' );
		queue = new SqliteQueue( db );
		worker = null;
	} );
	afterEach( async () => {
		await worker?.stop( 0 );
		db.close();
	} );

	function start(
		run: JobRunner,
		retryScheduleMs: number[] = [],
		attemptDeadlineMs?: number
	): void {
		worker = new Worker( queue, run, {
			workers: 2,
			retryScheduleMs,
			...( attemptDeadlineMs !== undefined && { attemptDeadlineMs } ),
			logger: silentLogger,
		} );
		worker.start();
	}

	function settled( deliveryId: string ): Promise< void > {
		return new Promise( ( resolve ) => {
			const off = queue.onSettled( async () => {
				const outcome = await queue.outcome( deliveryId );
				if (
					outcome?.state === 'done' ||
					outcome?.state === 'failed'
				) {
					off();
					resolve();
				}
			} );
		} );
	}

	it( 'retries on the schedule, then fails with the last reason', async () => {
		const delivery = newDelivery( 1, 'add' );
		let calls = 0;
		start( async () => {
			calls++;
			throw new Error( 'site down' );
		}, [ 10, 20 ] );
		const done = settled( delivery.id );
		await queue.accept( delivery );
		await done;
		expect( calls ).toBe( 3 );
		expect( await queue.getDelivery( delivery.id ) ).toMatchObject( {
			state: 'failed',
			error: { code: 'internal_error', message: 'site down' },
		} );
	} );

	it( 'does not retry a permanent failure', async () => {
		const delivery = newDelivery( 2, 'add' );
		let calls = 0;
		start( async () => {
			calls++;
			throw new JobFailedError( 'invalid_email', 'no email', 422 );
		}, [ 10, 20 ] );
		const done = settled( delivery.id );
		await queue.accept( delivery );
		await done;
		expect( calls ).toBe( 1 );
		expect( await queue.outcome( delivery.id ) ).toMatchObject( {
			state: 'failed',
			error: { httpStatus: 422 },
		} );
	} );

	it( 'regression: an attempt slower than its lease was still running when another bridge took the job; it ends at its deadline and is retried', async () => {
		const delivery = newDelivery( 4, 'add' );
		let calls = 0;
		let running = 0;
		let mostAtOnce = 0;
		start(
			async () => {
				calls++;
				running++;
				mostAtOnce = Math.max( mostAtOnce, running );
				const slow = calls === 1;
				await new Promise( ( resolve ) =>
					setTimeout( resolve, slow ? 300 : 1 )
				);
				running--;
				return { status: slow ? 'updated' : 'created', userId: 7 };
			},
			[ 10 ],
			100
		);
		const done = settled( delivery.id );
		await queue.accept( delivery );
		await done;
		const stored = await queue.getDelivery( delivery.id );
		expect( stored ).toMatchObject( {
			state: 'done',
			result_status: 'created',
		} );
		expect( stored?.attempts[ 0 ]?.error?.code ).toBe( 'attempt_deadline' );
		expect( calls ).toBe( 2 );
		// The slow attempt's late result changes nothing once the retry has recorded its own.
		await new Promise( ( resolve ) => setTimeout( resolve, 300 ) );
		expect(
			( await queue.getDelivery( delivery.id ) )?.result_status
		).toBe( 'created' );
	} );

	it( 'on stop, puts a job that outlives the grace period back in the queue and ignores its late result', async () => {
		const delivery = newDelivery( 3, 'add' );
		let finish: ( result: JobResult ) => void = () => {};
		const started = new Promise< ClaimedJob >( ( resolve ) =>
			start( ( job ) => {
				resolve( job );
				return new Promise( ( resolveRun ) => ( finish = resolveRun ) );
			} )
		);
		await queue.accept( delivery );
		await started;
		expect( ( await queue.getDelivery( delivery.id ) )?.state ).toBe(
			'in_progress'
		);
		await worker?.stop( 20 );
		worker = null;
		finish( { status: 'created', userId: 1 } );
		await new Promise( ( resolve ) => setImmediate( resolve ) );
		expect( await queue.getDelivery( delivery.id ) ).toMatchObject( {
			state: 'queued',
			attempts: [],
		} );
	} );

	it( 'wakes one idle worker per queued job, not every idle worker', async () => {
		let claims = 0;
		const claim = queue.claim.bind( queue );
		queue.claim = ( now ) => {
			claims++;
			return claim( now );
		};
		worker = new Worker(
			queue,
			async () => ( { status: 'updated', userId: 1 } ),
			{ workers: 8, retryScheduleMs: [], logger: silentLogger }
		);
		worker.start();
		// Every worker looks once, finds nothing and goes idle.
		await new Promise( ( resolve ) => setTimeout( resolve, 50 ) );
		expect( claims ).toBe( 8 );
		const delivery = newDelivery( 5, 'update' );
		const done = settled( delivery.id );
		const before = claims;
		await queue.accept( delivery );
		await done;
		// The woken worker claims the job, then looks once more after finishing it; waking all
		// eight would have made at least eight more claims.
		expect( claims - before ).toBeLessThanOrEqual( 3 );
	} );

	it( 'lets a running job finish when it fits in the grace period', async () => {
		const delivery = newDelivery( 4, 'add' );
		const started = new Promise< void >( ( resolve ) =>
			start( async () => {
				resolve();
				await new Promise( ( wait ) => setTimeout( wait, 30 ) );
				return { status: 'created', userId: 9 };
			} )
		);
		await queue.accept( delivery );
		await started;
		await worker?.stop( 2000 );
		worker = null;
		expect( await queue.getDelivery( delivery.id ) ).toMatchObject( {
			state: 'done',
			user_id: 9,
		} );
	} );
} );
