import { parseSettings, SettingsSource } from '../src/settings';
import { WordPressError } from '../src/wordpress/client';

const ANSWER = {
	rev: 3,
	field_mapping: [ { wp: 'user_email', crm: 'email' } ],
	return_password: { enabled: true, field: 'custom_password' },
	crm: {
		account_url: 'https://acme.thepulsespot.com/',
		portal_url: 'https://portal.thepulsespot.com',
		client_id: 'id',
		client_secret: 'shh',
	},
};

describe( 'parseSettings', () => {
	it( 'reads the contract shape', () => {
		expect( parseSettings( ANSWER ) ).toEqual( {
			rev: '3',
			fieldMapping: [ { wp: 'user_email', crm: 'email' } ],
			returnPassword: { enabled: true, field: 'custom_password' },
			reconcile: { enabled: false, tagIds: [] },
			crm: {
				accountUrl: 'https://acme.thepulsespot.com/',
				portalUrl: 'https://portal.thepulsespot.com',
				clientId: 'id',
				clientSecret: 'shh',
			},
		} );
	} );

	it( 'reads the daily reconciliation; a plugin without it means off', () => {
		expect(
			parseSettings( {
				...ANSWER,
				reconcile: { enabled: true, tag_ids: [ 4, 9 ] },
			} ).reconcile
		).toEqual( { enabled: true, tagIds: [ 4, 9 ] } );
	} );

	it( 'has no CRM credentials until all three are set', () => {
		expect(
			parseSettings( {
				...ANSWER,
				crm: { ...ANSWER.crm, client_secret: '' },
			} ).crm
		).toBeNull();
	} );

	it.each( [
		[ 'rev', { ...ANSWER, rev: null } ],
		[ 'field_mapping', { ...ANSWER, field_mapping: {} } ],
		[
			'field_mapping[0]',
			{ ...ANSWER, field_mapping: [ { wp: '', crm: 'email' } ] },
		],
		[
			'return_password',
			{ ...ANSWER, return_password: { enabled: 'yes', field: '' } },
		],
		[
			'reconcile',
			{ ...ANSWER, reconcile: { enabled: true, tag_ids: [ 0 ] } },
		],
		[
			'crm.client_id',
			{ ...ANSWER, crm: { ...ANSWER.crm, client_id: 5 } },
		],
	] )( 'names the bad part: %s', ( part, answer ) => {
		expect( () => parseSettings( answer ) ).toThrow( `invalid ${ part }.` );
	} );
} );

describe( 'SettingsSource', () => {
	it( 'fetches once, then again only when a request names another revision', async () => {
		let fetches = 0;
		const source = new SettingsSource( {
			fetchSettings: async () => {
				fetches++;
				return { ...ANSWER, rev: fetches };
			},
		} );
		await Promise.all( [ source.current(), source.current() ] );
		expect( fetches ).toBe( 1 );
		source.noteRev( '1' );
		source.noteRev( undefined );
		await source.current();
		expect( fetches ).toBe( 1 );
		source.noteRev( '2' );
		expect( ( await source.current() ).rev ).toBe( '2' );
		expect( fetches ).toBe( 2 );
	} );

	it( 'does not cache a failed fetch', async () => {
		let fail = true;
		const source = new SettingsSource( {
			fetchSettings: async () => {
				if ( fail ) {
					throw new WordPressError(
						'wordpress_unreachable',
						'down',
						true
					);
				}
				return ANSWER;
			},
		} );
		await expect( source.current() ).rejects.toThrow( 'down' );
		fail = false;
		expect( ( await source.current() ).rev ).toBe( '3' );
	} );
} );
