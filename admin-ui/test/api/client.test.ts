import { buildPath, restRequest, RestError } from '../../src/api/client';
import { apiFetchMock, restError } from '../helpers/api';
import { resetPage } from '../helpers/setup';

jest.mock( '@wordpress/api-fetch' );

describe( 'restRequest', () => {
	beforeEach( resetPage );

	it( 'prefixes the namespace from the page config and drops empty query values', () => {
		window.pulseSyncAdmin = { restNamespace: 'pulse-sync/v2' };
		expect(
			buildPath( '/deliveries', {
				page: 2,
				email: '',
				status: undefined,
			} )
		).toBe( '/pulse-sync/v2/deliveries?page=2' );
	} );

	it( 'falls back to pulse-sync/v1 when the page config is missing', () => {
		window.pulseSyncAdmin = undefined;
		expect( buildPath( '/status' ) ).toBe( '/pulse-sync/v1/status' );
	} );

	it( 'turns a WordPress REST error into a RestError with the server message and status', async () => {
		apiFetchMock.mockRejectedValue(
			restError( 'The bridge is not reachable.', 502 )
		);
		const failure = restRequest( { path: '/status' } );
		await expect( failure ).rejects.toBeInstanceOf( RestError );
		await expect( failure ).rejects.toMatchObject( {
			message: 'The bridge is not reachable.',
			status: 502,
		} );
	} );

	it( 'sends method and body to api-fetch', async () => {
		apiFetchMock.mockResolvedValue( { ok: true } );
		await restRequest( {
			path: '/settings',
			method: 'POST',
			data: { a: 1 },
		} );
		expect( apiFetchMock ).toHaveBeenCalledWith( {
			path: '/pulse-sync/v1/settings',
			method: 'POST',
			data: { a: 1 },
		} );
	} );
} );
