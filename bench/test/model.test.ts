import { atLeast, atMost, formatValue } from '../lib/model';

test( 'a missed target says by how much', () => {
	const check = atMost( 'answer p99', 375, 250, 'ms' );
	expect( check.met ).toBe( false );
	expect( check.target ).toBe( '≤ 250 ms' );
	expect( check.by ).toBe( 'off by 125 ms (50%)' );
} );

test( 'a met target gives its margin', () => {
	const check = atLeast( 'throughput', 124, 99.2, '/s' );
	expect( check.met ).toBe( true );
	expect( check.by ).toBe( 'margin 24.8 /s (25%)' );
} );

test( 'a figure that was not measured never counts as met', () => {
	expect( atMost( 'lost', null, 0, '' ) ).toMatchObject( {
		met: false,
		by: 'not measured',
	} );
	expect( formatValue( null, 'ms' ) ).toBe( 'n/a' );
} );
