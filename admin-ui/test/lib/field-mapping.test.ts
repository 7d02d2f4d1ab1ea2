import { validateFieldMapping } from '../../src/lib/field-mapping';

describe( 'validateFieldMapping', () => {
	it( 'accepts the default mapping', () => {
		expect(
			validateFieldMapping( [
				{ wp: 'user_email', crm: 'email' },
				{ wp: 'first_name', crm: 'first_name' },
			] )
		).toEqual( [] );
	} );

	it( 'reports a WordPress field mapped twice on the second row', () => {
		const problems = validateFieldMapping( [
			{ wp: 'user_email', crm: 'email' },
			{ wp: 'first_name', crm: 'first_name' },
			{ wp: 'first_name', crm: 'nickname' },
		] );
		expect( problems ).toEqual( [
			{ row: 2, message: expect.stringContaining( 'first_name' ) },
		] );
	} );

	it( 'reports empty fields and a missing email mapping', () => {
		const problems = validateFieldMapping( [ { wp: '', crm: '' } ] );
		expect( problems.map( ( problem ) => problem.row ) ).toEqual( [
			0,
			0,
			null,
		] );
	} );
} );
