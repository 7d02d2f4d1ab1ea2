/**
 * One CRM account's pace shared by two bridges (two pools) on one real PostgreSQL database
 * (pg-pace-share.ts), with one hand-moved clock for both.
 */
import { AIMD, AimdPace } from '../../src/crm/aimd';
import { silentLogger } from '../../src/log';
import { PgPaceShare } from '../../src/pg-pace-share';
import { openPgPool, type PgPool } from '../../src/pg-database';
import { migratePg } from '../../src/queue/pg-schema';
import { FIRST_SITE_SCHEMA } from '../../src/site-schemas';
import { manualClock, type ManualClock } from '../support/clock';
import { freshDatabase } from '../support/postgres';

const ACCOUNT = 'https://account.example.test/api/v1';

let pools: PgPool[];
let clock: ManualClock;
let shares: [ PgPaceShare, PgPaceShare ];
let paces: [ AimdPace, AimdPace ];

beforeEach( async () => {
	const url = await freshDatabase();
	pools = [ openPgPool( url ), openPgPool( url ) ];
	await migratePg( pools[ 0 ]!, FIRST_SITE_SCHEMA );
	clock = manualClock( 1_000_000 );
	shares = pools.map(
		( pool ) => new PgPaceShare( pool, ACCOUNT, silentLogger, clock.now )
	) as [ PgPaceShare, PgPaceShare ];
	paces = shares.map(
		( share ) => new AimdPace( null, clock.now, share )
	) as [ AimdPace, AimdPace ];
} );
afterEach( () => Promise.all( pools.map( ( pool ) => pool.end() ) ) );

/** Both bridges have a request waiting, and read the row again (as each does every 250 ms then). */
async function bothRead(): Promise< void > {
	paces.forEach( ( pace ) => pace.pauseLeft() );
	await Promise.all( shares.map( ( share ) => share.settled() ) );
	await Promise.all( shares.map( ( share ) => share.refresh() ) );
}

/** Both bridges have read the row since the other said it has CRM work. */
async function bothSharing(): Promise< void > {
	await bothRead();
	await bothRead();
}

/** `count` requests on one bridge, started and answered at once, `everyMs` apart. */
function run( pace: AimdPace, count: number, everyMs: number ): void {
	for ( let n = 0; n < count; n++ ) {
		clock.advance( everyMs );
		pace.started( false );
		pace.answered();
	}
}

describe( 'a CRM pace shared by the bridges on one database', () => {
	it( 'pauses and slows every bridge for a 429 that one of them got, once (regression: each bridge paced alone and ran into the limit on its own)', async () => {
		const [ first, second ] = paces;
		await bothSharing();
		run( first, 25, 2 );
		run( second, 25, 2 );
		const startedBefore = clock.now();
		clock.advance( 5 );
		first.rateLimited( startedBefore, 1000 );
		await bothRead();
		// What both accepted in the last second (25 here, as many there) is where the pace starts.
		expect( second.pace() ).toBe( 50 * AIMD.decrease );
		expect( second.snapshot().limited_by_crm ).toBe( true );
		expect( second.pauseLeft() ).toBe( 1000 );
		// The other bridge's requests of the same overload are answered for already.
		second.rateLimited( startedBefore, 1000 );
		await bothRead();
		expect( first.pace() ).toBe( 50 * AIMD.decrease );
	} );

	it( 'starts the requests of all bridges in one sequence at the pace of the account, whichever has the work', async () => {
		const [ first, second ] = paces;
		await bothSharing();
		run( first, 50, 1 );
		first.rateLimited( clock.now(), 0 );
		await bothRead();
		const spacing = 1000 / ( first.pace() as number );
		const starts: number[] = [];
		for ( const pace of [ first, second, second, first, first, first ] ) {
			starts.push( await pace.reserve() );
		}
		expect(
			starts.map( ( at ) => at - ( starts[ 0 ] as number ) )
		).toEqual( [ 0, 1, 2, 3, 4, 5 ].map( ( n ) => n * spacing ) );
	} );

	it( 'counts the bridges with CRM work for the first decrease, not one whose status is read', async () => {
		const [ first, second ] = paces;
		// The second bridge has no CRM work: its status is read (the panel), it waits for nothing.
		second.snapshot();
		first.pauseLeft();
		await Promise.all( shares.map( ( share ) => share.refresh() ) );
		run( first, 20, 10 );
		first.rateLimited( clock.now(), 0 );
		await bothRead();
		expect( first.pace() ).toBe( 20 * AIMD.decrease );
	} );

	it( 'rises one step a second for the account, however many bridges were held back', async () => {
		const [ first, second ] = paces;
		await bothSharing();
		run( first, 50, 1 );
		first.rateLimited( clock.now(), 0 );
		await bothRead();
		const slowed = first.pace() as number;
		// Both bridges wait for their turn in the pace within the second...
		first.started( true );
		second.started( true );
		clock.advance( 1000 );
		// ...and both see an answer once it has passed: one of them raises the account's pace.
		first.answered();
		second.answered();
		await bothRead();
		// A step is a share of the pace the CRM refused (aimd.ts).
		const step = ( slowed / AIMD.decrease ) * AIMD.increaseShare;
		expect( first.pace() ).toBeCloseTo( slowed + step, 1 );
		expect( second.pace() ).toBeCloseTo( slowed + step, 1 );
	} );
} );
