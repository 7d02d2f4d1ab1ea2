import { percentile, summarize } from '../lib/stats';

test( 'percentiles are nearest-rank, so each is a measured value', () => {
	const values = Array.from( { length: 100 }, ( _, n ) => 100 - n );
	expect( summarize( values ) ).toEqual( {
		count: 100,
		p50: 50,
		p95: 95,
		p99: 99,
		max: 100,
	} );
	expect( percentile( [ 7, 9 ], 0.5 ) ).toBe( 7 );
} );

test( 'no samples give no figures rather than zeros', () => {
	expect( summarize( [] ) ).toEqual( {
		count: 0,
		p50: null,
		p95: null,
		p99: null,
		max: null,
	} );
} );
