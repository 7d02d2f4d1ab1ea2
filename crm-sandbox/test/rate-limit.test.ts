import { RateLimiter } from '../src/control/rate-limit';
import { startTestSandbox, type TestSandbox } from './helpers';

let sandbox: TestSandbox;
let token: string;

beforeAll( async () => {
	sandbox = await startTestSandbox();
} );
afterAll( () => sandbox.close() );
beforeEach( async () => {
	await sandbox.control( 'POST', 'reset' );
	token = ( await sandbox.connect() ).access_token;
} );

async function statuses( count: number, as: string ): Promise< number[] > {
	const seen: number[] = [];
	for ( let n = 0; n < count; n++ ) {
		seen.push(
			( await sandbox.api( 'GET', 'tags', { token: as } ) ).status
		);
	}
	return seen;
}

describe( 'rate limit (control API)', () => {
	it( 'refuses calls past the limit of a window with 429 and Retry-After in whole seconds', async () => {
		await sandbox.control( 'POST', 'rate-limit', {
			requests: 3,
			window_ms: 60_000,
		} );
		expect( await statuses( 3, token ) ).toEqual( [ 200, 200, 200 ] );
		const refused = await sandbox.api( 'GET', 'tags', { token } );
		expect( refused.status ).toBe( 429 );
		expect( refused.body ).toEqual( { message: 'Too Many Attempts.' } );
		const retryAfter = Number( refused.headers.get( 'retry-after' ) );
		expect( Number.isInteger( retryAfter ) ).toBe( true );
		expect( retryAfter ).toBeGreaterThanOrEqual( 1 );
		expect( retryAfter ).toBeLessThanOrEqual( 60 );

		const { body } = await sandbox.control( 'GET', 'rate-limit' );
		expect( body ).toMatchObject( {
			limit: { requests: 3, window_ms: 60_000 },
			accepted: 3,
			refused: 1,
		} );
	} );

	it( 'counts each access token on its own', async () => {
		await sandbox.control( 'POST', 'rate-limit', { requests: 2 } );
		const other = ( await sandbox.connect() ).access_token;
		expect( await statuses( 3, token ) ).toEqual( [ 200, 200, 429 ] );
		expect( await statuses( 2, other ) ).toEqual( [ 200, 200 ] );
	} );

	it( 'does not limit the control API, OAuth or unauthenticated calls', async () => {
		await sandbox.control( 'POST', 'rate-limit', { requests: 1 } );
		await sandbox.api( 'GET', 'tags', { token } );
		expect( ( await sandbox.api( 'GET', 'tags' ) ).status ).toBe( 401 );
		expect( ( await sandbox.connect() ).access_token ).toEqual(
			expect.any( String )
		);
		expect( ( await sandbox.control( 'GET', 'counters' ) ).status ).toBe(
			200
		);
		expect(
			( await sandbox.control( 'GET', 'rate-limit' ) ).body
		).toMatchObject( {
			accepted: 1,
			refused: 0,
		} );
	} );

	it( 'is lifted by DELETE and by reset', async () => {
		await sandbox.control( 'POST', 'rate-limit', { requests: 1 } );
		expect( await statuses( 2, token ) ).toEqual( [ 200, 429 ] );
		await sandbox.control( 'DELETE', 'rate-limit' );
		expect( await statuses( 2, token ) ).toEqual( [ 200, 200 ] );

		await sandbox.control( 'POST', 'rate-limit', { requests: 1 } );
		await sandbox.control( 'POST', 'reset' );
		expect(
			( await sandbox.control( 'GET', 'rate-limit' ) ).body.limit
		).toBeNull();
		expect( await statuses( 2, token ) ).toEqual( [ 200, 200 ] );
	} );

	it( 'refuses a limit that is not a positive whole number', async () => {
		for ( const body of [
			{},
			{ requests: 0 },
			{ requests: 2.5 },
			{ requests: 5, window_ms: 0 },
		] ) {
			expect(
				( await sandbox.control( 'POST', 'rate-limit', body ) ).status
			).toBe( 400 );
		}
	} );
} );

describe( 'RateLimiter windows', () => {
	it( 'opens a new window for a token once its window has passed, with Retry-After rounded up', () => {
		let now = 10_000;
		const limiter = new RateLimiter( () => now );
		limiter.set( { requests: 2, window_ms: 1500 } );
		expect( limiter.take( 'a' ) ).toEqual( { allowed: true } );
		now += 100;
		expect( limiter.take( 'a' ) ).toEqual( { allowed: true } );
		expect( limiter.take( 'a' ) ).toEqual( {
			allowed: false,
			retryAfterS: 2,
		} );
		now = 10_000 + 1499;
		expect( limiter.take( 'a' ) ).toEqual( {
			allowed: false,
			retryAfterS: 1,
		} );
		now = 10_000 + 1500;
		expect( limiter.take( 'a' ) ).toEqual( { allowed: true } );
		expect( limiter.counters() ).toEqual( {
			limit: { requests: 2, window_ms: 1500 },
			accepted: 3,
			refused: 2,
			busy_ms: 1500,
		} );
	} );
} );
