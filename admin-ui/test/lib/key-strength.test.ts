import { estimateKeyBits, isWeakAccessKey } from '../../src/lib/key-strength';

describe( 'isWeakAccessKey', () => {
	it( 'flags the reference plugin’s 8 hex characters', () => {
		expect( isWeakAccessKey( 'deadbeef' ) ).toBe( true );
	} );

	it( 'accepts a generated key of 32 hex characters (128 bits)', () => {
		const key = '0123456789abcdef0123456789abcdef';
		expect( estimateKeyBits( key ) ).toBe( 128 );
		expect( isWeakAccessKey( key ) ).toBe( false );
	} );

	it( 'flags a 36-digit numeric key (about 120 bits)', () => {
		expect(
			isWeakAccessKey( '123456789012345678901234567890123456' )
		).toBe( true );
	} );

	it( 'flags a 31-character key even when it is random', () => {
		expect(
			isWeakAccessKey( 'Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0e'.slice( 0, 31 ) )
		).toBe( true );
	} );
} );
