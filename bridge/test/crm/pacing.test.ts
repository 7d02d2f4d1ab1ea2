import { CRM_DEFAULTS, RateLimitedError } from '../../src/crm';
import { startContractSandbox, type ContractSandbox } from './helpers';

// The pacer against the real sandbox over HTTP, its throttle set to 50 calls a second per token.
// Every figure comes from the sandbox's counters or the pacer's state, none from the test's clock.

let env: ContractSandbox;

beforeAll( async () => {
	env = await startContractSandbox();
} );
afterAll( () => env.close() );
beforeEach( async () => {
	await env.control( 'POST', 'reset' );
} );

const LIMIT = 50;

interface Throttle {
	accepted: number;
	refused: number;
	busy_ms: number;
}

/** Sends `count` contact reads at once (far more than the CRM takes in a second). */
async function flood(
	client: Awaited<
		ReturnType< ContractSandbox[ 'connectedClient' ] >
	>[ 'client' ],
	count: number
): Promise< PromiseSettledResult< unknown >[] > {
	const { ids } = await env.control( 'POST', 'contacts/bulk', {
		count: 20,
		prefix: 'paced',
	} );
	await env.control( 'POST', 'rate-limit', {
		requests: LIMIT,
		window_ms: 1000,
	} );
	return Promise.allSettled(
		Array.from( { length: count }, ( _, n ) =>
			client.getContact( ids[ n % ids.length ] )
		)
	);
}

describe( 'adaptive CRM pacing against a CRM limited to 50 requests a second', () => {
	it( 'ends no request failed for 429 and converges near the limit', async () => {
		const { client } = await env.connectedClient();
		const results = await flood( client, 400 );

		const failed = results.filter(
			( result ) => result.status === 'rejected'
		);
		expect(
			failed.filter(
				( result ) =>
					( result as PromiseRejectedResult ).reason instanceof
					RateLimitedError
			)
		).toEqual( [] );
		expect( failed ).toEqual( [] );

		const throttle: Throttle = await env.control( 'GET', 'rate-limit' );
		expect( throttle.accepted ).toBe( 400 );
		// The CRM had to say no, or nothing was learnt: at first once per request in flight (no
		// pace yet, up to `concurrency` at once), then rarely, once the pace knows the limit.
		expect( throttle.refused ).toBeGreaterThan( 0 );
		expect( throttle.refused ).toBeLessThanOrEqual(
			CRM_DEFAULTS.concurrency + throttle.accepted * 0.05
		);
		// Calls the CRM accepted over the calls it would have accepted in the same sandbox time
		// (90% measured here; the first second goes on learning the limit).
		const allowed = ( throttle.busy_ms / 1000 ) * LIMIT;
		expect( throttle.accepted / allowed ).toBeGreaterThan( 0.7 );

		const pace = client.pacer.snapshot();
		expect( pace.limited_by_crm ).toBe( true );
		expect( pace.ceiling ).toBeNull();
		expect( pace.requests_per_second ).toBeGreaterThan( LIMIT * 0.7 );
		expect( pace.requests_per_second ).toBeLessThan( LIMIT * 1.1 );
	}, 120_000 );

	it( 'with a ceiling below the limit, the CRM never has to say no', async () => {
		const { client } = await env.connectedClient( {
			maxRequestsPerSecond: 40,
		} );
		const results = await flood( client, 120 );

		expect(
			results.every( ( result ) => result.status === 'fulfilled' )
		).toBe( true );
		const throttle: Throttle = await env.control( 'GET', 'rate-limit' );
		expect( throttle ).toMatchObject( { accepted: 120, refused: 0 } );
		expect( client.pacer.snapshot() ).toMatchObject( {
			requests_per_second: 40,
			ceiling: 40,
			limited_by_crm: false,
		} );
	}, 120_000 );
} );
