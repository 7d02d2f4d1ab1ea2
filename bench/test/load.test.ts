import { runLoad, MilestoneError } from '../lib/load';

const tick = () => new Promise( ( resolve ) => setTimeout( resolve, 5 ) );

test( 'never has more than `concurrency` requests in flight and sends each item once', async () => {
	let inFlight = 0;
	let peak = 0;
	const result = await runLoad( {
		items: Array.from( { length: 40 }, ( _, n ) => n ),
		concurrency: 4,
		timeLimitMs: 60000,
		send: async () => {
			peak = Math.max( peak, ++inFlight );
			await tick();
			inFlight--;
			return 202;
		},
	} );
	expect( peak ).toBe( 4 );
	expect(
		result.shots.map( ( shot ) => shot.item ).sort( ( a, b ) => a - b )
	).toEqual( Array.from( { length: 40 }, ( _, n ) => n ) );
	expect( result.unsent ).toBe( 0 );
} );

test( 'stops starting requests once the time limit has passed', async () => {
	const result = await runLoad( {
		items: Array.from( { length: 1000 }, ( _, n ) => n ),
		concurrency: 1,
		timeLimitMs: 0,
		send: async () => 200,
	} );
	expect( result.shots ).toHaveLength( 0 );
	expect( result.unsent ).toBe( 1000 );
} );

test( 'a request without an HTTP answer is recorded as a failure, not thrown', async () => {
	const result = await runLoad( {
		items: [ 1 ],
		concurrency: 1,
		timeLimitMs: 60000,
		send: async () => {
			throw new TypeError( 'fetch failed' );
		},
	} );
	expect( result.shots[ 0 ] ).toMatchObject( {
		status: null,
		failure: 'network',
	} );
} );

test( 'milestones run once their share of items has started, and their failure is reported', async () => {
	const startedAtMilestone: number[] = [];
	let started = 0;
	await expect(
		runLoad( {
			items: Array.from( { length: 10 }, ( _, n ) => n ),
			concurrency: 1,
			timeLimitMs: 60000,
			milestones: [
				{
					atFraction: 0.3,
					label: 'kill something',
					run: async () => {
						startedAtMilestone.push( started );
						throw new Error( 'no such process' );
					},
				},
			],
			send: async () => {
				started++;
				return 200;
			},
		} )
	).rejects.toThrow( MilestoneError );
	expect( startedAtMilestone ).toEqual( [ 3 ] );
} );
