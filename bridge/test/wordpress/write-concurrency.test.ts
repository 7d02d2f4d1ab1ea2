import { AIMD } from '../../src/crm/aimd';
import {
	WriteConcurrency,
	type WriteSample,
} from '../../src/wordpress/write-concurrency';

const fast = ( overrides: Partial< WriteSample > = {} ): WriteSample => ( {
	items: 50,
	durationMs: 500,
	overloaded: false,
	heldBack: true,
	...overrides,
} );

/**
 * Feeds one round of requests (as many as the slots allow) and answers the slots after it.
 * @param concurrency The rule.
 * @param sample      Every request of the round.
 */
function round( concurrency: WriteConcurrency, sample: WriteSample ): number {
	const requests = concurrency.limit();
	for ( let n = 0; n < requests; n++ ) {
		concurrency.finished( sample );
	}
	return concurrency.limit();
}

describe( 'WriteConcurrency', () => {
	it( 'starts with one request in flight', () => {
		expect( new WriteConcurrency( 4 ).limit() ).toBe( 1 );
	} );

	it( 'adds one slot per round while writes wait and WordPress keeps its pace, up to the ceiling', () => {
		const concurrency = new WriteConcurrency( 3 );
		expect( round( concurrency, fast() ) ).toBe( 2 );
		expect( round( concurrency, fast() ) ).toBe( 3 );
		expect( round( concurrency, fast() ) ).toBe( 3 );
	} );

	it( 'adds none while no write waits for a slot (one at a time is enough)', () => {
		const concurrency = new WriteConcurrency( 3 );
		expect( round( concurrency, fast( { heldBack: false } ) ) ).toBe( 1 );
	} );

	it( 'cuts the slots by the CRM pace’s decrease factor on an overloaded answer, never below one', () => {
		const concurrency = new WriteConcurrency( 8 );
		for ( let n = 0; n < 40 && concurrency.limit() < 8; n++ ) {
			concurrency.finished( fast() );
		}
		expect( concurrency.limit() ).toBe( 8 );
		concurrency.finished( fast( { overloaded: true } ) );
		expect( concurrency.limit() ).toBe( Math.floor( 8 * AIMD.decrease ) );
		for ( let n = 0; n < 10; n++ ) {
			concurrency.finished( fast( { overloaded: true } ) );
		}
		expect( concurrency.limit() ).toBe( 1 );
	} );

	it( 'backs off when a request is over twice as slow as the best one lately with as many writes (WordPress saturated)', () => {
		const concurrency = new WriteConcurrency( 3 );
		expect( round( concurrency, fast() ) ).toBe( 2 );
		// Two requests at once, each 2.5× slower: the CPU, not the pipeline, is the limit.
		concurrency.finished( fast( { durationMs: 1250 } ) );
		expect( concurrency.limit() ).toBe( 1 );
	} );

	it( 'backs off when a small batch takes over twice as long as a larger one did lately', () => {
		const concurrency = new WriteConcurrency( 3 );
		concurrency.finished( fast( { items: 50, durationMs: 500 } ) );
		expect( concurrency.limit() ).toBe( 2 );
		concurrency.finished( fast( { items: 10, durationMs: 1200 } ) );
		expect( concurrency.limit() ).toBe( 1 );
	} );

	it( 'keeps its slots for a small batch that costs more per write because of the boot (regression: storm-add ran at one slot)', () => {
		const concurrency = new WriteConcurrency( 3 );
		concurrency.finished( fast( { items: 50, durationMs: 500 } ) );
		expect( concurrency.limit() ).toBe( 2 );
		// 5 writes in 150 ms: 30 ms a write against 10 ms in the full batch, mostly the boot.
		concurrency.finished( fast( { items: 5, durationMs: 150 } ) );
		concurrency.finished( fast( { items: 5, durationMs: 150 } ) );
		expect( concurrency.limit() ).toBe( 3 );
	} );

	it( 'gives no verdict on a batch larger than any seen lately', () => {
		const concurrency = new WriteConcurrency( 3 );
		concurrency.finished( fast( { items: 5, durationMs: 60 } ) );
		expect( concurrency.limit() ).toBe( 2 );
		concurrency.finished( fast( { items: 50, durationMs: 600 } ) );
		expect( concurrency.limit() ).toBe( 2 );
	} );

	it( 'refuses a ceiling below one', () => {
		expect( () => new WriteConcurrency( 0 ) ).toThrow( RangeError );
	} );
} );
