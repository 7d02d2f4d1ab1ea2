import { encodeForm } from '../../src/crm/form';
import { parseRetryAfter } from '../../src/crm/classify';
import { CrmPacer } from '../../src/crm/pacer';
import { sleepingClock } from '../support/clock';
import { labelFromKey, parseContact } from '../../src/crm/parse';
import {
	apiBaseUrl,
	defaultPortalUrl,
	effectivePortalUrl,
	withPage,
} from '../../src/crm/urls';
import { CrmUsageError, RateLimitedError, TransientError } from '../../src/crm';

describe( 'URLs', () => {
	it( 'joins the account URL and api/v1 with exactly one slash', () => {
		for ( const account of [
			'https://acme.thepulsespot.com',
			'https://acme.thepulsespot.com/',
			'https://acme.thepulsespot.com//',
			' https://acme.thepulsespot.com/ ',
		] ) {
			expect( apiBaseUrl( account ) ).toBe(
				'https://acme.thepulsespot.com/api/v1/'
			);
		}
		expect( apiBaseUrl( 'http://127.0.0.1:8788/crm/' ) ).toBe(
			'http://127.0.0.1:8788/crm/api/v1/'
		);
	} );

	it( 'derives the portal: the shared one, or app. → portal. for dev accounts', () => {
		expect( defaultPortalUrl( 'https://acme.thepulsespot.com/' ) ).toBe(
			'https://portal.thepulsespot.com'
		);
		expect( defaultPortalUrl( 'https://app.dev.thepulsespot.com/' ) ).toBe(
			'https://portal.dev.thepulsespot.com'
		);
		expect(
			defaultPortalUrl( 'https://acme.app.dev.thepulsespot.com' )
		).toBe( 'https://acme.portal.dev.thepulsespot.com' );
	} );

	// The plugin derived the account URL itself for a host outside thepulsespot.com while the
	// bridge derived the shared portal; the bridge now owns the rule and the plugin asks it.
	it( 'regression: plugin and bridge derived different portals for a non-Pulse host', () => {
		expect( defaultPortalUrl( 'http://127.0.0.1:8790/' ) ).toBe(
			'http://127.0.0.1:8790'
		);
		expect( defaultPortalUrl( 'https://crm.acme.example/pulse/' ) ).toBe(
			'https://crm.acme.example/pulse'
		);
		expect( defaultPortalUrl( 'https://thepulsespot.com' ) ).toBe(
			'https://portal.thepulsespot.com'
		);
		expect( defaultPortalUrl( 'https://evilthepulsespot.com' ) ).toBe(
			'https://evilthepulsespot.com'
		);
		expect(
			effectivePortalUrl(
				'https://portal.acme.example/',
				'https://acme.example'
			)
		).toBe( 'https://portal.acme.example' );
	} );

	it( 'refuses an account URL that is not http(s)', () => {
		expect( () => apiBaseUrl( 'ftp://acme' ) ).toThrow( CrmUsageError );
		expect( () => apiBaseUrl( 'acme.thepulsespot.com' ) ).toThrow(
			CrmUsageError
		);
	} );

	it( 'adds the page with ? or &', () => {
		expect( withPage( 'tags', 2 ) ).toBe( 'tags?page=2' );
		expect( withPage( 'contacts/tagged/?tag_id=3', 2 ) ).toBe(
			'contacts/tagged/?tag_id=3&page=2'
		);
		expect( withPage( 'contacts/tagged/?', 2 ) ).toBe(
			'contacts/tagged/?page=2'
		);
	} );
} );

describe( 'form encoding', () => {
	it( 'sends arrays as key[n] and encodes everything else', () => {
		const body = encodeForm( {
			tag_id: [ 5, 7 ],
			'address_1.country': 'DE',
			note: 'a&b=c d',
		} );
		expect( body ).toBe(
			'tag_id%5B0%5D=5&tag_id%5B1%5D=7&address_1.country=DE&note=a%26b%3Dc+d'
		);
		expect( [ ...new URLSearchParams( body ) ] ).toEqual( [
			[ 'tag_id[0]', '5' ],
			[ 'tag_id[1]', '7' ],
			[ 'address_1.country', 'DE' ],
			[ 'note', 'a&b=c d' ],
		] );
	} );
} );

describe( 'Retry-After', () => {
	it( 'reads seconds and HTTP dates', () => {
		expect( parseRetryAfter( '7' ) ).toBe( 7000 );
		expect(
			parseRetryAfter(
				new Date( Date.UTC( 2030, 0, 1, 0, 0, 30 ) ).toUTCString(),
				Date.UTC( 2030, 0, 1 )
			)
		).toBe( 30000 );
		expect( parseRetryAfter( null ) ).toBeNull();
		expect( parseRetryAfter( 'soon' ) ).toBeNull();
	} );
} );

describe( 'answers', () => {
	it( 'derives labels from keys', () => {
		expect( labelFromKey( 'custom_password' ) ).toBe( 'Custom Password' );
		expect( labelFromKey( 'address_1.country' ) ).toBe(
			'Address 1 Country'
		);
	} );

	it( 'accepts a numeric string id and refuses a contact without one', () => {
		expect( parseContact( { id: '12', email: 'x@example.test' } ) ).toEqual(
			{ id: 12, email: 'x@example.test' }
		);
		expect( () => parseContact( { email: 'x@example.test' } ) ).toThrow(
			TransientError
		);
		expect( () => parseContact( '<html>' ) ).toThrow( TransientError );
	} );
} );

describe( 'CrmPacer', () => {
	it( 'never runs more than `concurrency` tasks at once and runs them in order', async () => {
		const pacer = new CrmPacer( { concurrency: 3, ceiling: null } );
		let running = 0;
		let peak = 0;
		const order: number[] = [];
		await Promise.all(
			Array.from( { length: 12 }, ( _, n ) =>
				pacer.run( async () => {
					order.push( n );
					running++;
					peak = Math.max( peak, running );
					await new Promise( ( resolve ) =>
						setTimeout( resolve, 5 )
					);
					running--;
				} )
			)
		);
		expect( peak ).toBe( 3 );
		expect( order ).toEqual( [ ...Array( 12 ).keys() ] );
	} );

	it( 'frees the slot when a task fails', async () => {
		const pacer = new CrmPacer( { concurrency: 1, ceiling: null } );
		await expect(
			pacer.run( () => Promise.reject( new Error( 'boom' ) ) )
		).rejects.toThrow( 'boom' );
		await expect(
			pacer.run( () => Promise.resolve( 'next' ) )
		).resolves.toBe( 'next' );
	} );

	it( 'spaces starts by the ceiling, on its clock', async () => {
		const clock = sleepingClock( 0 );
		const pacer = new CrmPacer( { concurrency: 10, ceiling: 50 }, clock );
		const starts: number[] = [];
		await Promise.all(
			Array.from( { length: 6 }, () =>
				pacer.run( async () => starts.push( clock.now() ) )
			)
		);
		expect( starts ).toEqual( [ 0, 20, 40, 60, 80, 100 ] );
	} );

	it( 'holds every start until the Retry-After of a 429, then goes slower', async () => {
		const clock = sleepingClock( 0 );
		const pacer = new CrmPacer( { concurrency: 1, ceiling: null }, clock );
		const starts: number[] = [];
		for ( let n = 0; n < 10; n++ ) {
			await pacer.run( async () => starts.push( clock.now() ) );
		}
		await expect(
			pacer.run( () =>
				Promise.reject( new RateLimitedError( 'slow down', 3000 ) )
			)
		).rejects.toBeInstanceOf( RateLimitedError );
		await pacer.run( async () => starts.push( clock.now() ) );
		await pacer.run( async () => starts.push( clock.now() ) );
		// Ten accepted in the last second: the pace is 8/s, after the 3 s pause.
		expect( starts.slice( 10 ) ).toEqual( [ 3000, 3125 ] );
		expect( pacer.snapshot() ).toMatchObject( {
			requests_per_second: 8,
			limited_by_crm: true,
		} );
	} );

	it( 'looks at the pace every 250 ms while it waits out a pause (regression: a bridge asleep for a Retry-After dropped out of the bridges sharing the pace, and the others took its share)', async () => {
		const clock = sleepingClock( 0 );
		const sleeps: number[] = [];
		const pacer = new CrmPacer(
			{ concurrency: 1, ceiling: null },
			{
				now: clock.now,
				sleep: async ( ms ) => {
					sleeps.push( ms );
					await clock.sleep( ms );
				},
			}
		);
		await pacer.run( async () => undefined );
		await expect(
			pacer.run( () =>
				Promise.reject( new RateLimitedError( 'slow down', 1000 ) )
			)
		).rejects.toBeInstanceOf( RateLimitedError );
		await pacer.run( async () => undefined );
		expect( clock.now() ).toBe( 1000 );
		expect( sleeps ).toEqual( [ 250, 250, 250, 250 ] );
	} );

	it( 'refuses a zero concurrency or ceiling', () => {
		expect(
			() => new CrmPacer( { concurrency: 0, ceiling: null } )
		).toThrow( RangeError );
		expect( () => new CrmPacer( { concurrency: 1, ceiling: 0 } ) ).toThrow(
			RangeError
		);
	} );
} );
