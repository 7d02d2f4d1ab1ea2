import { StormMeter } from '../src/storm';
import { manualClock, type ManualClock } from './support/clock';

describe( 'StormMeter', () => {
	// 10 deliveries per second over a 2 s window: 20 deliveries within 2 s make a storm.
	const RATE = 10;
	const CALM_MS = 10_000;

	function meterWithClock() {
		const clock = manualClock();
		const meter = new StormMeter( RATE, {
			now: clock.now,
			windowMs: 2000,
			calmMs: CALM_MS,
		} );
		const starts: number[] = [];
		meter.onStart( () => starts.push( clock.now() ) );
		return { clock, meter, starts };
	}

	/**
	 * Records `count` deliveries spread evenly over `overMs`.
	 * @param meter  The meter.
	 * @param clock  Its clock.
	 * @param count  How many deliveries.
	 * @param overMs Over how long.
	 */
	function deliver(
		meter: StormMeter,
		clock: ManualClock,
		count: number,
		overMs: number
	): boolean[] {
		return Array.from( { length: count }, () => {
			clock.advance( overMs / count );
			return meter.record();
		} );
	}

	it( 'sees no storm below the rate, however long it lasts', () => {
		const { clock, meter, starts } = meterWithClock();
		// 9 per second for a minute.
		expect( deliver( meter, clock, 540, 60_000 ) ).not.toContain( true );
		expect( meter.isActive() ).toBe( false );
		expect( starts ).toEqual( [] );
	} );

	it( 'starts a storm at the delivery that brings the rate to the threshold, and tells once', () => {
		const { clock, meter, starts } = meterWithClock();
		const seen = deliver( meter, clock, 30, 1000 );
		expect( seen.indexOf( true ) ).toBe( 19 ); // the 20th delivery
		expect( seen.slice( 19 ) ).not.toContain( false );
		expect( starts ).toHaveLength( 1 );
		expect( meter.isActive() ).toBe( true );
	} );

	it( 'forgets deliveries older than the window', () => {
		const { clock, meter } = meterWithClock();
		deliver( meter, clock, 19, 100 );
		clock.advance( 2500 );
		// 19 + 19 would be a storm if the first ones still counted.
		expect( deliver( meter, clock, 19, 100 ) ).not.toContain( true );
	} );

	it( 'lasts while the rate stays high, ends after a calm period, and can start again', () => {
		const { clock, meter, starts } = meterWithClock();
		deliver( meter, clock, 600, 20_000 ); // 30 per second
		expect( meter.isActive() ).toBe( true );
		expect( starts ).toHaveLength( 1 );

		// A trickle below the rate does not end it before the calm period is over …
		deliver( meter, clock, 5, CALM_MS - 1000 );
		expect( meter.isActive() ).toBe( true );
		// … and once the rate stayed below for the calm period, it is over.
		clock.advance( 1000 );
		expect( meter.isActive() ).toBe( false );
		expect( meter.record() ).toBe( false );

		deliver( meter, clock, 20, 500 );
		expect( meter.isActive() ).toBe( true );
		expect( starts ).toHaveLength( 2 );
	} );

	it( 'never sees a storm with a rate of 0 (disabled)', () => {
		const clock = manualClock();
		const meter = new StormMeter( 0, { now: clock.now } );
		const started = jest.fn();
		meter.onStart( started );
		expect( deliver( meter, clock, 1000, 100 ) ).not.toContain( true );
		expect( meter.isActive() ).toBe( false );
		expect( started ).not.toHaveBeenCalled();
	} );

	it( 'stops telling a listener that unsubscribed', () => {
		const { clock, meter } = meterWithClock();
		const started = jest.fn();
		meter.onStart( started )();
		deliver( meter, clock, 20, 100 );
		expect( meter.isActive() ).toBe( true );
		expect( started ).not.toHaveBeenCalled();
	} );
} );
