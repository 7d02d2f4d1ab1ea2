import { validateImportLimits } from '../../src/lib/import-limits';

describe( 'validateImportLimits', () => {
	it( 'accepts the defaults and the bounds the plugin accepts', () => {
		expect( validateImportLimits( '3000', '2' ) ).toEqual( {} );
		expect( validateImportLimits( '0', '0' ) ).toEqual( {} );
		expect( validateImportLimits( '20000', '20' ) ).toEqual( {} );
	} );

	it( 'rejects values above the bounds, fractions and text', () => {
		expect( Object.keys( validateImportLimits( '20001', '21' ) ) ).toEqual(
			[ 'waitBudget', 'waitingWorkers' ]
		);
		expect( validateImportLimits( '1.5', '2' ).waitBudget ).toBeDefined();
		expect(
			validateImportLimits( '3000', 'two' ).waitingWorkers
		).toBeDefined();
		expect( validateImportLimits( '', '2' ).waitBudget ).toBeDefined();
	} );
} );
