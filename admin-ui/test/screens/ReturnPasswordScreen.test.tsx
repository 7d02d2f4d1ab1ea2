import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { ReturnPasswordScreen } from '../../src/screens/ReturnPasswordScreen';
import { rejectWith, requestsTo, routeApi } from '../helpers/api';
import { CRM_FIELDS, NS, settingsFixture } from '../helpers/fixtures';
import { crmFieldsSettled } from '../helpers/crm-fields';
import { resetPage } from '../helpers/setup';

jest.mock( '@wordpress/api-fetch' );

function routes( overrides: Record< string, unknown > = {} ) {
	routeApi( {
		[ `GET ${ NS }/settings` ]: settingsFixture( {
			return_password_enabled: true,
			return_password_field: 'custom_password',
		} ),
		[ `GET ${ NS }/crm/fields` ]: { fields: CRM_FIELDS },
		[ `POST ${ NS }/settings` ]: ( { data }: { data?: unknown } ) => ( {
			...settingsFixture(),
			...( data as object ),
		} ),
		...overrides,
	} );
}

async function renderLoaded() {
	render( <ReturnPasswordScreen /> );
	await screen.findByLabelText( 'CRM field for the password' );
	await crmFieldsSettled();
	return screen.getByLabelText(
		'CRM field for the password'
	) as HTMLSelectElement;
}

describe( 'ReturnPasswordScreen', () => {
	beforeEach( resetPage );

	it( 'shows the saved choice with the CRM fields as options', async () => {
		routes();
		const select = await renderLoaded();
		expect(
			screen.getByLabelText( 'Enable Return Password' )
		).toBeChecked();
		expect( select.value ).toBe( 'custom_password' );
		expect(
			screen.getByRole( 'option', {
				name: 'Custom Password (custom_password)',
			} )
		).toBeInTheDocument();
	} );

	it( 'saves exactly the two Return Password settings', async () => {
		routes();
		const select = await renderLoaded();
		await userEvent.selectOptions( select, 'first_name' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save' } ) );
		expect(
			await screen.findByText( 'Settings saved.' )
		).toBeInTheDocument();
		expect( requestsTo( 'POST', `${ NS }/settings` ) ).toEqual( [
			expect.objectContaining( {
				data: {
					return_password_enabled: true,
					return_password_field: 'first_name',
				},
			} ),
		] );
	} );

	it( 'refuses to save Return Password without a field', async () => {
		routes();
		const select = await renderLoaded();
		await userEvent.selectOptions( select, '' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save' } ) );
		expect(
			screen.getByText(
				'Choose the CRM field that receives the password.'
			)
		).toBeInTheDocument();
		expect( requestsTo( 'POST', `${ NS }/settings` ) ).toHaveLength( 0 );
	} );

	it( 'reloads the fields from the CRM on Refresh', async () => {
		routes( {
			[ `GET ${ NS }/crm/fields?refresh=1` ]: {
				fields: [
					...CRM_FIELDS,
					{ key: 'portal_password', label: 'Portal Password' },
				],
			},
		} );
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Refresh CRM fields' } )
		);
		expect(
			await screen.findByRole( 'option', {
				name: 'Portal Password (portal_password)',
			} )
		).toBeInTheDocument();
	} );

	it( 'falls back to a text field when the CRM fields cannot be loaded', async () => {
		routes( {
			[ `GET ${ NS }/crm/fields` ]: rejectWith(
				'The CRM is not connected.',
				409
			),
		} );
		render( <ReturnPasswordScreen /> );
		const input = await screen.findByRole( 'textbox', {
			name: 'CRM field for the password',
		} );
		expect( input ).toHaveValue( 'custom_password' );
		expect(
			screen.getByText( 'The CRM is not connected.' )
		).toBeInTheDocument();
	} );

	it( 'shows the server message when the save fails', async () => {
		routes( {
			[ `POST ${ NS }/settings` ]: rejectWith(
				'Unknown CRM field.',
				422
			),
		} );
		await renderLoaded();
		await userEvent.click( screen.getByRole( 'button', { name: 'Save' } ) );
		expect(
			await screen.findByText( 'Unknown CRM field.' )
		).toBeInTheDocument();
		await waitFor( () =>
			expect(
				screen.getByRole( 'button', { name: 'Save' } )
			).toBeEnabled()
		);
	} );
} );
