import { screenFromLocation } from '../src/routes';

describe( 'screenFromLocation', () => {
	it( 'opens the screen named by the hash', () => {
		expect(
			screenFromLocation( { hash: '#/deliveries', search: '' } )
		).toBe( 'deliveries' );
	} );

	it( 'opens the CRM screen when coming back from OAuth', () => {
		expect(
			screenFromLocation( {
				hash: '',
				search: '?page=pulse-sync&pulse_sync_notice=crm_connected',
			} )
		).toBe( 'crm' );
	} );

	it( 'falls back to the webhooks screen for an unknown hash', () => {
		expect( screenFromLocation( { hash: '#/nope', search: '' } ) ).toBe(
			'webhooks'
		);
	} );
} );
