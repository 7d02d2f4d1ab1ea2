import { GENERATED_PASSWORD_LENGTH, generatePassword } from '../src/password';

describe( 'generatePassword', () => {
	it( 'is at least 20 characters with lower, upper, digit and symbol, all email-safe', () => {
		for ( let i = 0; i < 200; i++ ) {
			const password = generatePassword();
			expect( password ).toHaveLength( GENERATED_PASSWORD_LENGTH );
			expect( GENERATED_PASSWORD_LENGTH ).toBeGreaterThanOrEqual( 20 );
			expect( password ).toMatch( /[a-z]/ );
			expect( password ).toMatch( /[A-Z]/ );
			expect( password ).toMatch( /[0-9]/ );
			expect( password ).toMatch( /[^A-Za-z0-9]/ );
			expect( password ).not.toMatch( /[\s"'&<>\\`]/ );
		}
	} );

	it( 'does not repeat', () => {
		const seen = new Set(
			Array.from( { length: 500 }, () => generatePassword() )
		);
		expect( seen.size ).toBe( 500 );
	} );
} );
