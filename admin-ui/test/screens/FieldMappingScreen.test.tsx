import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { FieldMappingScreen } from '../../src/screens/FieldMappingScreen';
import { rejectWith, requestsTo, routeApi } from '../helpers/api';
import { CRM_FIELDS, NS, settingsFixture } from '../helpers/fixtures';
import { crmFieldsSettled } from '../helpers/crm-fields';
import { resetPage } from '../helpers/setup';

jest.mock( '@wordpress/api-fetch' );

function routes( overrides: Record< string, unknown > = {} ) {
	routeApi( {
		[ `GET ${ NS }/settings` ]: settingsFixture( {
			field_mapping: [
				{ wp: 'user_email', crm: 'email' },
				{ wp: 'first_name', crm: 'first_name' },
				{ wp: 'billing_country', crm: 'address_1.country' },
			],
		} ),
		[ `GET ${ NS }/crm/fields` ]: {
			fields: [
				...CRM_FIELDS,
				{ key: 'address_1.country', label: 'Country' },
			],
		},
		[ `POST ${ NS }/settings` ]: settingsFixture(),
		...overrides,
	} );
}

async function renderLoaded() {
	render( <FieldMappingScreen /> );
	await screen.findByLabelText( 'WordPress field, row 1' );
	await crmFieldsSettled();
}

describe( 'FieldMappingScreen', () => {
	beforeEach( resetPage );

	it( 'shows the saved rows while the CRM fields are still loading', async () => {
		routes( {
			[ `GET ${ NS }/crm/fields` ]: () => new Promise( () => {} ),
		} );
		render( <FieldMappingScreen /> );
		const crmField = await screen.findByLabelText( 'CRM field, row 1' );
		expect( crmField ).toBeDisabled();
		expect( crmField ).toHaveValue( 'email' );
		expect( screen.getByLabelText( 'User meta key, row 3' ) ).toHaveValue(
			'billing_country'
		);
	} );

	it( 'shows core fields as selections and other keys as meta keys', async () => {
		routes();
		await renderLoaded();
		expect( screen.getByLabelText( 'WordPress field, row 1' ) ).toHaveValue(
			'user_email'
		);
		expect( screen.getByLabelText( 'CRM field, row 1' ) ).toHaveValue(
			'email'
		);
		expect( screen.getByLabelText( 'WordPress field, row 3' ) ).toHaveValue(
			'__meta__'
		);
		expect( screen.getByLabelText( 'User meta key, row 3' ) ).toHaveValue(
			'billing_country'
		);
		expect( screen.getByLabelText( 'CRM field, row 3' ) ).toHaveValue(
			'address_1.country'
		);
	} );

	it( 'adds, removes and saves rows as {wp, crm}', async () => {
		routes();
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Remove row 2' } )
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Add field' } )
		);
		await userEvent.selectOptions(
			screen.getByLabelText( 'WordPress field, row 3' ),
			'last_name'
		);
		await userEvent.selectOptions(
			screen.getByLabelText( 'CRM field, row 3' ),
			'last_name'
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Save mapping' } )
		);
		await screen.findByText( 'Settings saved.' );
		expect( requestsTo( 'POST', `${ NS }/settings` )[ 0 ]?.data ).toEqual( {
			field_mapping: [
				{ wp: 'user_email', crm: 'email' },
				{ wp: 'billing_country', crm: 'address_1.country' },
				{ wp: 'last_name', crm: 'last_name' },
			],
		} );
	} );

	it( 'refuses a WordPress field mapped twice and says which row', async () => {
		routes();
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Add field' } )
		);
		await userEvent.selectOptions(
			screen.getByLabelText( 'WordPress field, row 4' ),
			'first_name'
		);
		await userEvent.selectOptions(
			screen.getByLabelText( 'CRM field, row 4' ),
			'last_name'
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Save mapping' } )
		);
		expect( screen.getByRole( 'alert' ) ).toHaveTextContent(
			'"first_name" is already mapped in another row.'
		);
		expect( requestsTo( 'POST', `${ NS }/settings` ) ).toHaveLength( 0 );
	} );

	it( 'treats a meta key equal to a mapped meta key as a duplicate', async () => {
		routes();
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Add field' } )
		);
		await userEvent.selectOptions(
			screen.getByLabelText( 'WordPress field, row 4' ),
			'__meta__'
		);
		await userEvent.type(
			screen.getByLabelText( 'User meta key, row 4' ),
			'billing_country'
		);
		await userEvent.selectOptions(
			screen.getByLabelText( 'CRM field, row 4' ),
			'last_name'
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Save mapping' } )
		);
		expect(
			screen.getByText(
				'"billing_country" is already mapped in another row.'
			)
		).toBeInTheDocument();
		expect( requestsTo( 'POST', `${ NS }/settings` ) ).toHaveLength( 0 );
	} );

	it( 'requires an email mapping', async () => {
		routes();
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Remove row 1' } )
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Save mapping' } )
		);
		expect(
			screen.getByText( /Map a CRM field to Email/ )
		).toBeInTheDocument();
		expect( requestsTo( 'POST', `${ NS }/settings` ) ).toHaveLength( 0 );
	} );

	it( 'lets the owner type CRM field keys when the CRM is not reachable', async () => {
		routes( {
			[ `GET ${ NS }/crm/fields` ]: rejectWith(
				'The bridge is not reachable.',
				502
			),
		} );
		await renderLoaded();
		const crmInput = screen.getByRole( 'textbox', {
			name: 'CRM field, row 2',
		} );
		await userEvent.clear( crmInput );
		await userEvent.type( crmInput, 'given_name' );
		expect(
			screen.getByText( /The bridge is not reachable/ )
		).toBeInTheDocument();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Save mapping' } )
		);
		await screen.findByText( 'Settings saved.' );
		const sent = requestsTo( 'POST', `${ NS }/settings` )[ 0 ]?.data as {
			field_mapping: Array< { wp: string; crm: string } >;
		};
		expect( sent.field_mapping[ 1 ] ).toEqual( {
			wp: 'first_name',
			crm: 'given_name',
		} );
	} );

	it( 'keeps a saved CRM key the CRM no longer lists', async () => {
		routes( { [ `GET ${ NS }/crm/fields` ]: { fields: CRM_FIELDS } } );
		await renderLoaded();
		const select = screen.getByLabelText( 'CRM field, row 3' );
		expect( select ).toHaveValue( 'address_1.country' );
		expect(
			within( select ).getByRole( 'option', {
				name: 'address_1.country (not in the CRM)',
			} )
		).toBeInTheDocument();
	} );
} );
