import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/database';
import {
	DeliveryBusyError,
	DeliveryNotFoundError,
	type ClaimedJob,
	type Queue,
} from '../../src/queue/queue';
import { SqliteQueue } from '../../src/queue/sqlite-queue';
import { manualClock, type ManualClock } from '../support/clock';
import { newDelivery } from '../support/deliveries';
import {
	claimWithin,
	QUEUE_ENGINES,
	type OpenQueue,
} from '../support/queue-engines';

const attempt = {
	startedAt: Date.now(),
	durationMs: 5,
	email: 'ann@example.com',
};
const created = {
	kind: 'done' as const,
	result: { status: 'created' as const, userId: 11 },
};

describe.each( QUEUE_ENGINES )( 'the queue on $name', ( engine ) => {
	let opened: OpenQueue;
	let queue: Queue;

	beforeEach( async () => {
		opened = await engine.open();
		queue = opened.queue;
	} );
	afterEach( () => opened.close() );

	async function claimOrFail(): Promise< ClaimedJob > {
		const job = await queue.claim( Date.now() );
		if ( job === null ) {
			throw new Error( 'expected a job to claim' );
		}
		return job;
	}

	it( 'stores a delivery once per id and answers a repeat with the same job', async () => {
		const delivery = newDelivery( 7, 'add' );
		const first = await queue.accept( delivery );
		const again = await queue.accept( { ...delivery, action: 'update' } );
		expect( first.duplicate ).toBe( false );
		expect( again ).toEqual( {
			deliveryId: delivery.id,
			jobId: first.jobId,
			duplicate: true,
		} );
		expect( ( await queue.stats() ).pending ).toBe( 1 );
		expect( ( await queue.getDelivery( delivery.id ) )?.action ).toBe(
			'add'
		);
	} );

	it( 'merges deliveries queued for one contact into one job', async () => {
		const update = newDelivery( 7, 'update' );
		const add = newDelivery( 7, 'add', {
			sendNotification: true,
			role: 'customer',
		} );
		const tags = newDelivery( 7, 'update_tags' );
		const a = await queue.accept( update );
		const b = await queue.accept( add );
		const c = await queue.accept( tags );
		expect( new Set( [ a.jobId, b.jobId, c.jobId ] ).size ).toBe( 1 );
		const job = await claimOrFail();
		expect( job.intent ).toEqual( {
			action: 'add',
			sendNotification: true,
			role: 'customer',
		} );
		expect( job.requestId ).toBe( update.id );
		expect( ( await queue.getDelivery( add.id ) )?.merged_into ).toBe(
			update.id
		);
		expect(
			( await queue.getDelivery( update.id ) )?.merged_into
		).toBeUndefined();
		expect( await queue.claim( Date.now() ) ).toBeNull();
	} );

	it( 'runs one job at a time per contact, in arrival order, and other contacts meanwhile', async () => {
		await queue.accept( newDelivery( 1 ) );
		const first = await claimOrFail();
		// Arrives while contact 1 is in progress: a new job, which must wait.
		await queue.accept( newDelivery( 1, 'add' ) );
		await queue.accept( newDelivery( 2 ) );
		const other = await claimOrFail();
		expect( other.contactId ).toBe( 2 );
		expect( await queue.claim( Date.now() ) ).toBeNull();
		await queue.finishAttempt( first.id, attempt, created );
		const second = await claimOrFail();
		expect( second.contactId ).toBe( 1 );
		expect( second.intent.action ).toBe( 'add' );
	} );

	it( 'keeps a job that waits for a retry ahead of newer jobs of its contact', async () => {
		await queue.accept( newDelivery( 3 ) );
		const job = await claimOrFail();
		const error = { code: 'crm_server_error', message: '503' };
		await queue.finishAttempt( job.id, attempt, {
			kind: 'retry',
			error,
			nextAttemptAt: Date.now() + 1500,
		} );
		// The claimed job may have reached WordPress already, so this does not merge into it.
		const later = await queue.accept( newDelivery( 3, 'update_tags' ) );
		expect( later.jobId ).not.toBe( job.id );
		expect( await queue.claim( Date.now() ) ).toBeNull();
		expect( await queue.nextDueAt() ).toBeGreaterThan( Date.now() + 1000 );
		// A real back-off: pg-boss schedules on the database's clock, not on the one passed in.
		const retried = await claimWithin( queue, 5000 );
		expect( retried ).toMatchObject( { id: job.id, previousAttempts: 1 } );
	} );

	it( 'counts as backlog the due jobs ahead of a delivery, not its own nor those waiting for a retry', async () => {
		await queue.accept( newDelivery( 50 ) );
		const retrying = await claimOrFail();
		await queue.finishAttempt( retrying.id, attempt, {
			kind: 'retry',
			error: { code: 'crm_server_error', message: '503' },
			nextAttemptAt: Date.now() + 60_000,
		} );
		const ahead = await queue.accept( newDelivery( 51 ) );
		const own = await queue.accept( newDelivery( 52 ) );
		expect( await queue.backlog( own.jobId, Date.now() ) ).toBe( 1 );
		expect( await queue.backlog( ahead.jobId, Date.now() + 61_000 ) ).toBe(
			2
		);
	} );

	it( 'never hands one job to two claimers', async () => {
		for ( let contact = 1; contact <= 50; contact++ ) {
			await queue.accept( newDelivery( contact ) );
		}
		const claims = await Promise.all(
			Array.from( { length: 80 }, () => queue.claim( Date.now() ) )
		);
		const ids = claims
			.filter( ( job ) => job !== null )
			.map( ( job ) => job?.id );
		expect( ids ).toHaveLength( 50 );
		expect( new Set( ids ).size ).toBe( 50 );
	} );

	it( 'records attempts, the email and the result on every delivery of the job', async () => {
		const a = newDelivery( 9, 'add' );
		const b = newDelivery( 9, 'update' );
		await queue.accept( a );
		await queue.accept( b );
		const job = await claimOrFail();
		await queue.finishAttempt(
			job.id,
			{ ...attempt, email: null },
			{
				kind: 'retry',
				error: { code: 'wordpress_unreachable', message: 'refused' },
				nextAttemptAt: 0,
			}
		);
		const again = await claimOrFail();
		await queue.finishAttempt( again.id, attempt, created );
		for ( const id of [ a.id, b.id ] ) {
			const delivery = await queue.getDelivery( id );
			expect( delivery ).toMatchObject( {
				state: 'done',
				result_status: 'created',
				user_id: 11,
				email: 'ann@example.com',
				error: null,
				source_ip: '203.0.113.5',
			} );
			expect(
				delivery?.attempts.map( ( entry ) => [
					entry.n,
					entry.error?.code ?? null,
				] )
			).toEqual( [
				[ 1, 'wordpress_unreachable' ],
				[ 2, null ],
			] );
		}
		expect( await queue.outcome( a.id ) ).toEqual( {
			deliveryId: a.id,
			state: 'done',
			jobId: job.id,
			result: { status: 'created', userId: 11 },
		} );
	} );

	it( 'keeps the sealed password across attempts and drops it when the job ends', async () => {
		await queue.accept( newDelivery( 4, 'add' ) );
		const job = await claimOrFail();
		await queue.storePassword( job.id, 'v1.sealed' );
		await queue.release( job.id );
		expect( ( await claimOrFail() ).sealedPassword ).toBe( 'v1.sealed' );
		await queue.finishAttempt( job.id, attempt, created );
		expect(
			await opened.count( 'jobs', 'sealed_password IS NOT NULL' )
		).toBe( 0 );
	} );

	it( 'ends a job as failed with its reason and tells the listeners', async () => {
		const delivery = newDelivery( 5, 'add' );
		await queue.accept( delivery );
		// PostgreSQL's listeners hear it through NOTIFY, once the change is committed.
		const settled = new Promise< number >( ( resolve ) =>
			queue.onSettled( resolve )
		);
		const job = await claimOrFail();
		await queue.finishAttempt( job.id, attempt, {
			kind: 'failed',
			error: {
				code: 'contact_not_found',
				message: 'Contact 5 does not exist in the CRM.',
				httpStatus: 404,
			},
		} );
		expect( await settled ).toBe( job.id );
		expect( await queue.outcome( delivery.id ) ).toMatchObject( {
			state: 'failed',
			error: { code: 'contact_not_found', httpStatus: 404 },
		} );
		expect( ( await queue.stats() ).failed ).toBe( 1 );
	} );

	it( 'replays a finished delivery as a new job with a fresh request id, and refuses busy or unknown ones', async () => {
		const delivery = newDelivery( 6, 'add', { sendNotification: true } );
		await queue.accept( delivery );
		await expect( queue.replay( delivery.id ) ).rejects.toThrow(
			DeliveryBusyError
		);
		await expect( queue.replay( 'msg_nope' ) ).rejects.toThrow(
			DeliveryNotFoundError
		);
		const job = await claimOrFail();
		await queue.finishAttempt( job.id, attempt, created );
		const replayed = await queue.replay( delivery.id );
		expect( replayed.jobId ).not.toBe( job.id );
		const again = await claimOrFail();
		expect( again.intent ).toEqual( {
			action: 'add',
			sendNotification: true,
			role: null,
		} );
		expect( again.requestId ).not.toBe( job.requestId );
		expect( again.requestId ).toMatch( /^msg_[0-9a-f]{32}$/ );
		expect( ( await queue.getDelivery( delivery.id ) )?.state ).toBe(
			'in_progress'
		);
	} );

	it( 'lists with filters and pages, newest first', async () => {
		const ids: string[] = [];
		for ( let i = 0; i < 5; i++ ) {
			const delivery = newDelivery(
				100 + i,
				i % 2 === 0 ? 'add' : 'update'
			);
			ids.push( delivery.id );
			await queue.accept( delivery );
		}
		const page = await queue.listDeliveries( { page: 2, perPage: 2 } );
		expect( page.total ).toBe( 5 );
		expect( page.items.map( ( item ) => item.id ) ).toEqual( [
			ids[ 2 ],
			ids[ 1 ],
		] );
		expect(
			(
				await queue.listDeliveries( {
					action: 'add',
					page: 1,
					perPage: 10,
				} )
			).total
		).toBe( 3 );
		expect(
			(
				await queue.listDeliveries( {
					contactId: 101,
					page: 1,
					perPage: 10,
				} )
			).items[ 0 ]?.id
		).toBe( ids[ 1 ] );
		expect(
			(
				await queue.listDeliveries( {
					status: 'done',
					page: 1,
					perPage: 10,
				} )
			).total
		).toBe( 0 );
	} );

	it( 'purges finished deliveries older than the cutoff, never pending ones', async () => {
		const done = newDelivery( 20 );
		const pending = newDelivery( 21 );
		await queue.accept( done );
		await queue.accept( pending );
		const job = await claimOrFail();
		await queue.finishAttempt( job.id, attempt, created );
		expect( await queue.purgeFinishedBefore( Date.now() + 1000 ) ).toBe(
			1
		);
		expect( await queue.getDelivery( done.id ) ).toBeNull();
		expect( await queue.getDelivery( pending.id ) ).not.toBeNull();
		expect( await opened.count( 'attempts' ) ).toBe( 0 );
		expect( await opened.count( 'jobs' ) ).toBe( 1 );
	} );

	it( 'ignores the late result of a job that was released', async () => {
		const delivery = newDelivery( 30 );
		await queue.accept( delivery );
		const job = await claimOrFail();
		await queue.release( job.id );
		await queue.finishAttempt( job.id, attempt, created );
		expect( ( await queue.getDelivery( delivery.id ) )?.state ).toBe(
			'queued'
		);
	} );
} );

describe( 'SqliteQueue schema', () => {
	let db: Db;
	beforeEach( () => {
		db = openDatabase( ':memory:' );
		new SqliteQueue( db );
	} );
	afterEach( () => db.close() );

	it( 'walks queued jobs in id order (regression: each claim sorted every due job, 3.7 ms at 5000 queued)', () => {
		const indexes = (
			db
				.prepare(
					"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs'"
				)
				.all() as {
				name: string;
			}[]
		 ).map( ( row ) => row.name );
		expect( indexes ).toContain( 'jobs_in_order' );
		expect( indexes ).not.toContain( 'jobs_by_state' );
		expect( db.pragma( 'user_version', { simple: true } ) ).toBe( 5 );
	} );
} );

describe( 'SqliteQueue on disk', () => {
	it( 'requeues jobs a dead process left in progress', async () => {
		const dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-queue-' ) );
		const file = path.join( dir, 'queue.db' );
		try {
			const first = openDatabase( file );
			const queue = new SqliteQueue( first );
			const delivery = newDelivery( 40, 'add' );
			await queue.accept( delivery );
			await queue.claim( Date.now() );
			first.close(); // as if the process died here

			const second = openDatabase( file );
			const restarted = new SqliteQueue( second );
			expect( second.pragma( 'journal_mode', { simple: true } ) ).toBe(
				'wal'
			);
			expect( second.pragma( 'synchronous', { simple: true } ) ).toBe(
				2
			); // FULL
			expect( await restarted.requeueAbandoned() ).toBe( 1 );
			expect( ( await restarted.claim( Date.now() ) )?.contactId ).toBe(
				40
			);
			second.close();
		} finally {
			fs.rmSync( dir, { recursive: true, force: true } );
		}
	} );

	it( 'keeps the due time and the first delivery time of a settling job across a restart', async () => {
		const settle = { settleMs: 30_000, capMs: 300_000 };
		const dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-queue-' ) );
		const file = path.join( dir, 'queue.db' );
		const clock = manualClock();
		const start = clock.now();
		try {
			const first = openDatabase( file );
			await new SqliteQueue( first, clock.now ).accept(
				newDelivery( 41, 'update' ),
				settle
			);
			first.close();

			const second = openDatabase( file );
			const restarted = new SqliteQueue( second, clock.now );
			expect( await restarted.requeueAbandoned() ).toBe( 0 );
			expect( await restarted.nextDueAt() ).toBe( start + 30_000 );
			expect( await restarted.claim( start + 29_999 ) ).toBeNull();
			// The cap still counts from the first delivery, accepted before the restart.
			clock.advance( 290_000 );
			await restarted.accept( newDelivery( 41, 'update' ), settle );
			expect( await restarted.nextDueAt() ).toBe( start + 300_000 );
			expect(
				( await restarted.claim( start + 300_000 ) )?.contactId
			).toBe( 41 );
			second.close();
		} finally {
			fs.rmSync( dir, { recursive: true, force: true } );
		}
	} );
} );

describe( 'SqliteQueue during a storm (settling updates)', () => {
	const settle = { settleMs: 30_000, capMs: 300_000 };
	let db: Db;
	let clock: ManualClock;
	let queue: SqliteQueue;

	beforeEach( () => {
		db = openDatabase( ':memory:' );
		clock = manualClock();
		queue = new SqliteQueue( db, clock.now );
	} );
	afterEach( () => db.close() );

	it( 'wakes the workers for a job due now, not for one that settles', async () => {
		let changes = 0;
		queue.onChange( () => changes++ );
		await queue.accept( newDelivery( 1, 'update' ), settle );
		await queue.accept( newDelivery( 1, 'update' ), settle );
		expect( changes ).toBe( 0 );
		await queue.accept( newDelivery( 2, 'add' ), settle );
		expect( changes ).toBe( 1 );
		await queue.accept( newDelivery( 3, 'update' ) );
		expect( changes ).toBe( 2 );
	} );

	/**
	 * Claims and finishes every job due now, as a bridge that is never behind would.
	 * @return The claimed jobs.
	 */
	async function runDueJobs(): Promise< ClaimedJob[] > {
		const ran: ClaimedJob[] = [];
		for (
			let job = await queue.claim( clock.now() );
			job !== null;
			job = await queue.claim( clock.now() )
		) {
			ran.push( job );
			await queue.finishAttempt( job.id, attempt, created );
		}
		return ran;
	}

	/**
	 * A CRM bulk edit: `rounds` updates per contact, interleaved (every contact, then every
	 * contact again …), one delivery every `gapMs`; due jobs run as soon as they are due.
	 * @param contacts    How many contacts.
	 * @param rounds      Updates per contact.
	 * @param gapMs       Time between two deliveries.
	 * @param stormWindow The settle window, or null for no storm.
	 * @return How many jobs ran per contact.
	 */
	async function bulkEdit(
		contacts: number,
		rounds: number,
		gapMs: number,
		stormWindow: typeof settle | null
	): Promise< Map< number, number > > {
		const jobsPerContact = new Map< number, number >();
		const tally = ( ran: ClaimedJob[] ) =>
			ran.forEach( ( job ) =>
				jobsPerContact.set(
					job.contactId,
					( jobsPerContact.get( job.contactId ) ?? 0 ) + 1
				)
			);
		for ( let round = 0; round < rounds; round++ ) {
			for ( let contact = 1; contact <= contacts; contact++ ) {
				clock.advance( gapMs );
				await queue.accept(
					newDelivery( contact, 'update' ),
					stormWindow
				);
				tally( await runDueJobs() );
			}
		}
		clock.advance( settle.capMs );
		tally( await runDueJobs() );
		return jobsPerContact;
	}

	it( 'folds the 5 interleaved updates of each contact of a bulk edit into one job', async () => {
		// 200 contacts, 100 webhooks a second: 2 s between two updates of the same contact
		// (a real bulk edit: 2,000 contacts, 10–20 s; the settle time is what matters).
		const jobs = await bulkEdit( 200, 5, 10, settle );
		expect( jobs.size ).toBe( 200 );
		expect( [ ...new Set( jobs.values() ) ] ).toEqual( [ 1 ] );
		const { items } = await queue.listDeliveries( {
			contactId: 7,
			page: 1,
			perPage: 10,
		} );
		expect( items ).toHaveLength( 5 );
		expect(
			items.filter( ( item ) => item.merged_into !== undefined )
		).toHaveLength( 4 );
	} );

	it( 'regression: without a storm a bridge that keeps up runs every update as its own job', async () => {
		const jobs = await bulkEdit( 20, 5, 10, null );
		expect( [ ...new Set( jobs.values() ) ] ).toEqual( [ 5 ] );
	} );

	it( 'shows a settling job as queued with its due time, and holds it until then', async () => {
		const delivery = newDelivery( 70, 'update' );
		await queue.accept( delivery, settle );
		const due = clock.now() + settle.settleMs;
		expect( await queue.getDelivery( delivery.id ) ).toMatchObject( {
			state: 'queued',
			due_at: new Date( due ).toISOString(),
		} );
		expect( ( await queue.stats() ).pending ).toBe( 1 );
		expect( await queue.nextDueAt() ).toBe( due );
		expect( await queue.claim( due - 1 ) ).toBeNull();
		expect( ( await queue.claim( due ) )?.contactId ).toBe( 70 );
		expect(
			( await queue.getDelivery( delivery.id ) )?.due_at
		).toBeUndefined();
	} );

	it( 'pushes the due time with each merged update, but never beyond the cap', async () => {
		const start = clock.now();
		await queue.accept( newDelivery( 71, 'update_tags' ), settle );
		// An update every 20 s: each restarts the 30 s of quiet, until the 5 min cap.
		const dueAfterStart: number[] = [];
		let job: ClaimedJob | null = null;
		while ( job === null && clock.now() - start < 400_000 ) {
			clock.advance( 20_000 );
			job = await queue.claim( clock.now() );
			if ( job === null ) {
				await queue.accept( newDelivery( 71, 'update' ), settle );
				dueAfterStart.push( ( await queue.nextDueAt() ) ?? 0 );
			}
		}
		expect( clock.now() - start ).toBe( 300_000 );
		expect( job?.intent.action ).toBe( 'update' );
		expect( dueAfterStart.map( ( due ) => due - start ) ).toEqual(
			Array.from( { length: 14 }, ( _, index ) =>
				Math.min( ( index + 1 ) * 20_000 + 30_000, 300_000 )
			)
		);
	} );

	it( 'never holds an add, and an add merged into a settling update makes it due at once', async () => {
		await queue.accept( newDelivery( 72, 'add' ), settle );
		expect( ( await queue.claim( clock.now() ) )?.intent.action ).toBe(
			'add'
		);

		await queue.accept( newDelivery( 73, 'update' ), settle );
		expect( await queue.claim( clock.now() ) ).toBeNull();
		clock.advance( 1000 );
		const add = newDelivery( 73, 'add', { sendNotification: true } );
		const { jobId } = await queue.accept( add, settle );
		const job = await queue.claim( clock.now() );
		expect( job ).toMatchObject( {
			id: jobId,
			intent: { action: 'add', sendNotification: true },
		} );
		// One job: the add joined the update's job rather than waiting behind it.
		expect( ( await queue.getDelivery( add.id ) )?.merged_into ).toEqual(
			expect.any( String )
		);
	} );

	it( 'holds nothing outside a storm, and a delivery after the storm ends a settling wait', async () => {
		await queue.accept( newDelivery( 74, 'update' ) );
		expect( ( await queue.claim( clock.now() ) )?.contactId ).toBe( 74 );

		await queue.accept( newDelivery( 75, 'update' ), settle );
		clock.advance( 1000 );
		await queue.accept( newDelivery( 75, 'update_tags' ), null );
		expect( ( await queue.claim( clock.now() ) )?.contactId ).toBe( 75 );
	} );

	it( 'keeps retries on their back-off: a settling update never merges into a job that ran', async () => {
		await queue.accept( newDelivery( 76, 'update' ), settle );
		clock.advance( settle.settleMs );
		const job = await claimOrFail( clock.now() );
		const retryAt = clock.now() + 5000;
		await queue.finishAttempt( job.id, attempt, {
			kind: 'retry',
			error: { code: 'crm_server_error', message: '503' },
			nextAttemptAt: retryAt,
		} );
		const later = await queue.accept( newDelivery( 76, 'update' ), settle );
		expect( later.jobId ).not.toBe( job.id );
		expect( await queue.claim( retryAt - 1 ) ).toBeNull();
		const retried = await claimOrFail( retryAt );
		expect( retried ).toMatchObject( { id: job.id, previousAttempts: 1 } );
		await queue.finishAttempt( retried.id, attempt, created );
		// The later job still settles for its own 30 s, counted from its delivery.
		expect(
			await queue.claim( clock.now() + settle.settleMs - 1 )
		).toBeNull();
		expect(
			( await claimOrFail( clock.now() + settle.settleMs ) ).id
		).toBe( later.jobId );
	} );

	async function claimOrFail( now: number ): Promise< ClaimedJob > {
		const job = await queue.claim( now );
		if ( job === null ) {
			throw new Error( 'expected a job to claim' );
		}
		return job;
	}
} );
