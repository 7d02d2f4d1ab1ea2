import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { App } from '../src/App';
import { routeApi } from './helpers/api';
import { NS, ROLE_LIST, settingsFixture } from './helpers/fixtures';
import { resetPage } from './helpers/setup';

jest.mock( '@wordpress/api-fetch' );

describe( 'App', () => {
	beforeEach( () => {
		resetPage();
		routeApi( {
			[ `GET ${ NS }/access-key` ]: {
				access_key: '0123456789abcdef0123456789abcdef',
				weak: false,
			},
			[ `GET ${ NS }/roles` ]: ROLE_LIST,
			[ `GET ${ NS }/settings` ]: settingsFixture(),
			[ `GET ${ NS }/status` ]: {
				bridge: { reachable: true, status: { version: '0.2.0' } },
			},
		} );
	} );

	it( 'opens the screen named in the hash', async () => {
		window.location.hash = '#/status';
		render( <App /> );
		expect( screen.getByRole( 'tab', { name: 'Status' } ) ).toHaveAttribute(
			'aria-selected',
			'true'
		);
		expect(
			await screen.findByText( 'The bridge is reachable.' )
		).toBeInTheDocument();
	} );

	it( 'writes the selected tab into the hash and follows the back button', async () => {
		render( <App /> );
		await screen.findByRole( 'heading', { name: 'Access key' } );
		await userEvent.click( screen.getByRole( 'tab', { name: 'Status' } ) );
		expect( window.location.hash ).toBe( '#/status' );
		expect(
			await screen.findByText( 'The bridge is reachable.' )
		).toBeInTheDocument();

		act( () => {
			window.location.hash = '#/webhooks';
			window.dispatchEvent( new HashChangeEvent( 'hashchange' ) );
		} );
		expect(
			screen.getByRole( 'tab', { name: 'Webhooks' } )
		).toHaveAttribute( 'aria-selected', 'true' );
		expect(
			await screen.findByRole( 'heading', { name: 'Access key' } )
		).toBeInTheDocument();
	} );
} );
