/**
 * The replay guard's and the storm meter's shared stores, each used by two bridges (two pools)
 * on one real PostgreSQL database.
 */
import { openPgPool, type PgPool } from '../src/pg-database';
import { FIRST_SITE_SCHEMA } from '../src/site-schemas';
import { PgReplayStore } from '../src/pg-replay-store';
import { PgStormCounts } from '../src/pg-storm-counts';
import { migratePg } from '../src/queue/pg-schema';
import { StormMeter } from '../src/storm';
import { freshDatabase } from './support/postgres';

describe( 'guards shared by two bridges on PostgreSQL', () => {
	let pools: PgPool[];

	beforeEach( async () => {
		const url = await freshDatabase();
		pools = [ openPgPool( url ), openPgPool( url ) ];
		await migratePg( pools[ 0 ]!, FIRST_SITE_SCHEMA );
	} );
	afterEach( () => Promise.all( pools.map( ( pool ) => pool.end() ) ) );

	it( 'refuses a webhook-id on one bridge that the other recorded, until it expires', async () => {
		const [ first, second ] = pools.map(
			( pool ) => new PgReplayStore( pool )
		) as [ PgReplayStore, PgReplayStore ];
		const now = Date.now();
		expect( await first.claim( 'msg_a', now + 1000, now ) ).toBe( true );
		expect( await second.claim( 'msg_a', now + 1000, now ) ).toBe( false );
		expect( await first.claim( 'msg_a', now + 1000, now ) ).toBe( false );
		expect( await second.claim( 'msg_b', now + 1000, now ) ).toBe( true );
		// Past its window the id is stale for the signature check anyway; it may be recorded anew.
		expect( await second.claim( 'msg_a', now + 5000, now + 2000 ) ).toBe(
			true
		);
	} );

	it( 'lets two copies of one id race: exactly one is accepted', async () => {
		const stores = pools.map( ( pool ) => new PgReplayStore( pool ) );
		const now = Date.now();
		const answers = await Promise.all(
			Array.from( { length: 10 }, ( _, i ) =>
				stores[ i % 2 ]!.claim( 'msg_race', now + 1000, now )
			)
		);
		expect( answers.filter( Boolean ) ).toHaveLength( 1 );
	} );

	it( 'sees a storm from what both bridges received, though neither reached the rate alone', async () => {
		// 10 deliveries/s over the 2 s window: 20 make a storm; each bridge receives 12.
		const meters = pools.map(
			( pool ) =>
				new StormMeter( 10, { shared: new PgStormCounts( pool ) } )
		) as [ StormMeter, StormMeter ];
		const alone = new StormMeter( 10 );
		for ( let i = 0; i < 24; i++ ) {
			meters[ i % 2 ]!.record();
			if ( i % 2 === 0 ) {
				alone.record();
			}
			// The shared count answers after the delivery that sent it.
			await new Promise( ( resolve ) => setTimeout( resolve, 15 ) );
		}
		expect( alone.isActive() ).toBe( false );
		expect( meters[ 0 ].isActive() || meters[ 1 ].isActive() ).toBe( true );
		meters[ 0 ].record();
		meters[ 1 ].record();
		expect( meters[ 0 ].isActive() && meters[ 1 ].isActive() ).toBe( true );
	} );
} );
