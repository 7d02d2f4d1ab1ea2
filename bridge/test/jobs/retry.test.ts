import { nextRetryDelay } from '../../src/jobs/retry';

describe( 'nextRetryDelay', () => {
	const schedule = [ 1000, 5000 ];

	it( 'follows the schedule, then gives up', () => {
		expect( nextRetryDelay( schedule, 1, 0 ) ).toBe( 1000 );
		expect( nextRetryDelay( schedule, 2, 0 ) ).toBe( 5000 );
		expect( nextRetryDelay( schedule, 3, 0 ) ).toBeNull();
	} );

	it( 'waits longer when the server asked for it with Retry-After', () => {
		expect( nextRetryDelay( schedule, 1, 30_000 ) ).toBe( 30_000 );
		expect( nextRetryDelay( schedule, 2, 10 ) ).toBe( 5000 );
	} );

	it( 'never retries with an empty schedule', () => {
		expect( nextRetryDelay( [], 1, 0 ) ).toBeNull();
	} );
} );
