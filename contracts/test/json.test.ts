import { parseJson } from '../src';

describe( 'parseJson: the one rule for an empty body', () => {
	it( 'reads a body of only whitespace as no body', () => {
		expect( parseJson( '' ) ).toEqual( { ok: true, value: undefined } );
		expect( parseJson( ' \n\t' ) ).toEqual( {
			ok: true,
			value: undefined,
		} );
	} );

	it( 'parses JSON, null included, and says when a body is not JSON', () => {
		expect( parseJson( '{"a":1}' ) ).toEqual( {
			ok: true,
			value: { a: 1 },
		} );
		expect( parseJson( 'null' ) ).toEqual( { ok: true, value: null } );
		expect( parseJson( '<html>Bad gateway</html>' ) ).toEqual( {
			ok: false,
		} );
	} );
} );
