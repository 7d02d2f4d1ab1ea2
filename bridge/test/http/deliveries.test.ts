/**
 * The deliveries route in a webhook storm: the real route, SQLite queue and storm meter, with
 * the meter's and the queue's clock in the test's hand. No worker runs: a job ends only when the
 * test finishes it, so an answer that came early came from the storm, not from the job.
 */
import { openDatabase, type Db } from '../../src/database';
import { deliveryRoutes } from '../../src/http/deliveries';
import type { Reply, Route } from '../../src/http/route';
import { SqliteQueue } from '../../src/queue/sqlite-queue';
import { newMessageId } from '../../src/signature';
import { StormMeter } from '../../src/storm';
import { manualClock, type ManualClock } from '../support/clock';

// 10 per second over the meter's 2 s window: the 20th delivery within 2 s starts a storm.
const RATE = 10;
const settle = { settleMs: 30_000, capMs: 300_000 };
// Longer than a test may take (WAIT_TEST_TIMEOUT_MS): an answer before it did not wait it out.
const LONG_WAIT_MS = 20_000;
const WAIT_TEST_TIMEOUT_MS = 10_000;

describe( 'POST /v1/deliveries and storms', () => {
	let db: Db;
	let clock: ManualClock;
	let queue: SqliteQueue;
	let route: Route;
	let contact = 0;

	beforeEach( () => {
		db = openDatabase( ':memory:' );
		// An hour ahead of the wall clock, which the route's backlog count uses: no job here
		// has waited long enough to count as backlog, so a backlog in an answer is the storm's.
		clock = manualClock( Date.now() + 3_600_000 );
		queue = new SqliteQueue( db, clock.now );
		const meter = new StormMeter( RATE, { now: clock.now } );
		route = deliveryRoutes( queue, { meter, settle } ).find(
			( candidate ) =>
				candidate.method === 'POST' &&
				candidate.path === '/v1/deliveries'
		) as Route;
	} );
	afterEach( () => db.close() );

	function post(
		action: string,
		waitMs: number,
		contactId = ++contact
	): Promise< Reply & { body: any } > {
		return route.handle( {
			params: {},
			query: new URLSearchParams(),
			body: {
				id: newMessageId(),
				action,
				contact_id: contactId,
				wait_ms: waitMs,
			},
			shutdown: new AbortController().signal,
		} );
	}

	/** Deliveries of other contacts, 50 ms apart, enough to start a storm. */
	async function startStorm(): Promise< void > {
		for ( let i = 0; i < 2 * RATE; i++ ) {
			clock.advance( 50 );
			expect( ( await post( 'add', 0 ) ).status ).toBe( 202 );
		}
	}

	/** Finishes the job of `contactId` as done, as the worker would. */
	async function finishJobOf( contactId: number ): Promise< void > {
		for (;;) {
			const job = await queue.claim( clock.now() );
			if ( job !== null ) {
				expect( job.contactId ).toBe( contactId );
				await queue.finishAttempt(
					job.id,
					{ startedAt: clock.now(), durationMs: 5, email: null },
					{
						kind: 'done',
						result: { status: 'updated', userId: 9 },
					}
				);
				return;
			}
			// The route has not stored the delivery yet.
			await new Promise( ( resolve ) => setImmediate( resolve ) );
		}
	}

	it( 'outside a storm, waits for the job and answers 200 with its result', async () => {
		const answer = post( 'update', LONG_WAIT_MS );
		await finishJobOf( contact );
		expect( await answer ).toEqual( {
			status: 200,
			body: {
				delivery_id: expect.any( String ),
				state: 'done',
				result: { status: 'updated', user_id: 9 },
			},
		} );
	} );

	it(
		'during a storm, answers 202 at once with a backlog, and lets an update settle',
		async () => {
			await startStorm();
			const answer = await post( 'update', LONG_WAIT_MS );
			expect( answer ).toEqual( {
				status: 202,
				body: {
					delivery_id: answer.body.delivery_id,
					state: 'queued',
					backlog: 1,
				},
			} );
			expect(
				( await queue.getDelivery( answer.body.delivery_id ) )?.due_at
			).toBe( new Date( clock.now() + settle.settleMs ).toISOString() );
		},
		WAIT_TEST_TIMEOUT_MS
	);

	it(
		'answers 202 right away to a request that was waiting when the storm began',
		async () => {
			const waiting = post( 'update', LONG_WAIT_MS );
			const waitingContact = contact;
			await startStorm();
			const answer = await waiting;
			expect( answer ).toMatchObject( {
				status: 202,
				body: { state: 'queued', backlog: 1 },
			} );
			// It was answered before its job ran, and the job is still there to run.
			expect(
				( await queue.outcome( answer.body.delivery_id ) )?.state
			).toBe( 'queued' );
			await finishJobOf( waitingContact );
			expect(
				( await queue.outcome( answer.body.delivery_id ) )?.state
			).toBe( 'done' );
		},
		WAIT_TEST_TIMEOUT_MS
	);

	it( 'holds no update outside a storm', async () => {
		const answer = await post( 'update', 0 );
		expect( answer.body ).toEqual( {
			delivery_id: expect.any( String ),
			state: 'queued',
			backlog: 0,
		} );
		expect(
			( await queue.getDelivery( answer.body.delivery_id ) )?.due_at
		).toBe( new Date( clock.now() ).toISOString() );
	} );
} );
