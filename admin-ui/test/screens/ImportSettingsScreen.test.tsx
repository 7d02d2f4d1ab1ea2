import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { ImportSettingsScreen } from '../../src/screens/ImportSettingsScreen';
import { requestsTo, routeApi } from '../helpers/api';
import { NS, ROLE_LIST, settingsFixture } from '../helpers/fixtures';
import { resetPage } from '../helpers/setup';

jest.mock( '@wordpress/api-fetch' );

function routes() {
	routeApi( {
		[ `GET ${ NS }/settings` ]: settingsFixture( {
			default_role: 'customer',
			allowed_roles: [ 'customer' ],
			username_format: 'firstlast',
		} ),
		[ `GET ${ NS }/roles` ]: ROLE_LIST,
		[ `POST ${ NS }/settings` ]: settingsFixture(),
	} );
}

async function renderLoaded() {
	render( <ImportSettingsScreen /> );
	await screen.findByRole( 'checkbox', { name: 'Member' } );
}

describe( 'ImportSettingsScreen', () => {
	beforeEach( resetPage );

	it( 'shows the saved settings with one checkbox per offered role', async () => {
		routes();
		await renderLoaded();
		expect( screen.getByLabelText( 'Default role' ) ).toHaveValue(
			'customer'
		);
		expect(
			screen.getByRole( 'option', {
				name: '— Site default role (Subscriber) —',
			} )
		).toHaveValue( '' );
		expect(
			screen.getByRole( 'checkbox', { name: 'Customer' } )
		).toBeChecked();
		expect(
			screen.getByRole( 'checkbox', { name: 'Subscriber' } )
		).not.toBeChecked();
		expect( screen.getByLabelText( 'Username format' ) ).toHaveValue(
			'firstlast'
		);
		expect(
			screen.getByLabelText( 'Link existing users by email' )
		).toBeChecked();
		expect(
			screen.getByLabelText(
				'Also change the role of users Pulse Sync did not create'
			)
		).not.toBeChecked();
		expect(
			screen.getByLabelText( 'Wait budget (milliseconds)' )
		).toHaveValue( 3000 );
		expect(
			screen.getByLabelText( 'Waiting webhooks at most' )
		).toHaveValue( 2 );
	} );

	it( 'saves the import settings with numbers as numbers', async () => {
		routes();
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'checkbox', { name: 'Member' } )
		);
		await userEvent.click(
			screen.getByRole( 'checkbox', { name: 'Customer' } )
		);
		await userEvent.selectOptions(
			screen.getByLabelText( 'Username format' ),
			'email'
		);
		await userEvent.click(
			screen.getByLabelText( 'Always send the welcome email' )
		);
		await userEvent.click(
			screen.getByLabelText( 'Link existing users by email' )
		);
		const budget = screen.getByLabelText( 'Wait budget (milliseconds)' );
		await userEvent.clear( budget );
		await userEvent.type( budget, '5000' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save' } ) );
		await screen.findByText( 'Settings saved.' );
		expect( requestsTo( 'POST', `${ NS }/settings` )[ 0 ]?.data ).toEqual( {
			default_role: 'customer',
			allowed_roles: [ 'member' ],
			change_roles_of_other_users: false,
			link_users_by_email: false,
			username_format: 'email',
			always_send_welcome: true,
			wait_budget_ms: 5000,
			max_waiting_workers: 2,
		} );
	} );

	it( 'explains a wait budget out of range and does not save', async () => {
		routes();
		await renderLoaded();
		const budget = screen.getByLabelText( 'Wait budget (milliseconds)' );
		await userEvent.clear( budget );
		await userEvent.type( budget, '60000' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save' } ) );
		expect(
			screen.getByText(
				'Enter a whole number of milliseconds from 0 to 20000.'
			)
		).toBeInTheDocument();
		expect( budget ).toHaveAttribute( 'aria-invalid', 'true' );
		expect( requestsTo( 'POST', `${ NS }/settings` ) ).toHaveLength( 0 );
	} );
} );
