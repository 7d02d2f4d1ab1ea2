import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { WebhooksScreen } from '../../src/screens/WebhooksScreen';
import { rejectWith, requestsTo, routeApi } from '../helpers/api';
import { NS, ROLE_LIST } from '../helpers/fixtures';
import { resetPage } from '../helpers/setup';

jest.mock( '@wordpress/api-fetch' );

const KEY = '0123456789abcdef0123456789abcdef';
const NEW_KEY = 'fedcba9876543210fedcba9876543210';

function routes( overrides: Record< string, unknown > = {} ) {
	routeApi( {
		[ `GET ${ NS }/access-key` ]: { access_key: KEY, weak: false },
		[ `GET ${ NS }/roles` ]: ROLE_LIST,
		...overrides,
	} );
}

async function renderLoaded() {
	render( <WebhooksScreen /> );
	await screen.findByRole( 'heading', { name: 'Access key' } );
}

function webhookUrlField(): HTMLInputElement {
	return screen.getByLabelText( 'Webhook URL' ) as HTMLInputElement;
}

describe( 'WebhooksScreen', () => {
	beforeEach( resetPage );

	it( 'masks the key until Reveal is pressed', async () => {
		routes();
		await renderLoaded();
		const shown = screen.getByTestId( 'access-key' );
		expect( shown ).not.toHaveTextContent( KEY );
		expect( shown ).toHaveTextContent( /cdef$/ );

		await userEvent.click(
			screen.getByRole( 'button', { name: 'Reveal' } )
		);
		expect( shown ).toHaveTextContent( KEY );
		expect(
			screen.getByRole( 'button', { name: 'Hide' } )
		).toHaveAttribute( 'aria-pressed', 'true' );
	} );

	it( 'builds the exact webhook URL from action, role and notification', async () => {
		routes();
		await renderLoaded();
		expect( webhookUrlField().value ).toBe(
			`https://shop.example/?wpf_action=add&access_key=${ KEY }`
		);

		await userEvent.selectOptions(
			screen.getByLabelText( 'Role for new users' ),
			'customer'
		);
		await userEvent.click(
			screen.getByLabelText( 'Send the welcome email' )
		);
		expect( webhookUrlField().value ).toBe(
			`https://shop.example/?wpf_action=add&access_key=${ KEY }&send_notification=true&role=customer`
		);

		await userEvent.selectOptions(
			screen.getByLabelText( 'Action' ),
			'update_tags'
		);
		expect( webhookUrlField().value ).toBe(
			`https://shop.example/?wpf_action=update_tags&access_key=${ KEY }`
		);
	} );

	it( 'offers only the roles allowed for webhooks', async () => {
		routes();
		await renderLoaded();
		const options = within( screen.getByLabelText( 'Role for new users' ) )
			.getAllByRole( 'option' )
			.map( ( option ) => option.getAttribute( 'value' ) );
		expect( options ).toEqual( [ '', 'customer', 'member' ] );
	} );

	it( 'regenerates only after the confirmation that names the broken workflows', async () => {
		routes( {
			[ `POST ${ NS }/access-key` ]: { access_key: NEW_KEY, weak: false },
		} );
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Regenerate' } )
		);
		const dialog = screen.getByRole( 'dialog' );
		expect( dialog ).toHaveTextContent(
			/CRM workflow step and global webhook/
		);
		expect( requestsTo( 'POST', `${ NS }/access-key` ) ).toHaveLength( 0 );

		await userEvent.click(
			within( dialog ).getByRole( 'button', { name: 'Regenerate' } )
		);
		await waitFor( () =>
			expect( screen.queryByRole( 'dialog' ) ).not.toBeInTheDocument()
		);
		expect( requestsTo( 'POST', `${ NS }/access-key` ) ).toEqual( [
			expect.objectContaining( { data: { regenerate: true } } ),
		] );
		expect( webhookUrlField().value ).toContain(
			`access_key=${ NEW_KEY }`
		);
		expect(
			screen.getByText( /A new access key was generated/ )
		).toBeInTheDocument();
	} );

	it( 'cancelling the confirmation keeps the key', async () => {
		routes();
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Regenerate' } )
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Cancel' } )
		);
		expect( screen.queryByRole( 'dialog' ) ).not.toBeInTheDocument();
		expect( requestsTo( 'POST', `${ NS }/access-key` ) ).toHaveLength( 0 );
	} );

	it( 'warns about a weak pasted key and saves it on request', async () => {
		routes( {
			[ `POST ${ NS }/access-key` ]: {
				access_key: 'deadbeef',
				weak: true,
			},
		} );
		await renderLoaded();
		expect(
			screen.queryByText( /This key is weak/ )
		).not.toBeInTheDocument();

		await userEvent.type(
			screen.getByLabelText( 'Existing access key' ),
			'deadbeef'
		);
		expect( screen.getByText( /This key is weak/ ) ).toBeInTheDocument();

		await userEvent.click(
			screen.getByRole( 'button', { name: 'Use this key' } )
		);
		const dialog = screen.getByRole( 'dialog', {
			name: 'Replace the access key?',
		} );
		expect( requestsTo( 'POST', `${ NS }/access-key` ) ).toHaveLength( 0 );
		await userEvent.click(
			within( dialog ).getByRole( 'button', { name: 'Use this key' } )
		);
		await screen.findByText( 'The access key was replaced.' );
		expect( requestsTo( 'POST', `${ NS }/access-key` ) ).toEqual( [
			expect.objectContaining( { data: { key: 'deadbeef' } } ),
		] );
		// The server's verdict keeps the warning after the paste box is cleared.
		expect( screen.getByLabelText( 'Existing access key' ) ).toHaveValue(
			''
		);
		expect( screen.getByText( /This key is weak/ ) ).toBeInTheDocument();
	} );

	it( 'does not warn for a strong pasted key', async () => {
		routes();
		await renderLoaded();
		await userEvent.type(
			screen.getByLabelText( 'Existing access key' ),
			NEW_KEY
		);
		expect(
			screen.queryByText( /This key is weak/ )
		).not.toBeInTheDocument();
	} );

	it( 'shows the server message when replacing the key fails', async () => {
		routes( {
			[ `POST ${ NS }/access-key` ]: rejectWith(
				'The access key could not be saved.',
				500
			),
		} );
		await renderLoaded();
		await userEvent.type(
			screen.getByLabelText( 'Existing access key' ),
			'legacy-key-1'
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Use this key' } )
		);
		await userEvent.click(
			within( screen.getByRole( 'dialog' ) ).getByRole( 'button', {
				name: 'Use this key',
			} )
		);
		expect(
			await screen.findByText( 'The access key could not be saved.' )
		).toBeInTheDocument();
	} );

	it( 'does not send a pasted key the plugin would refuse', async () => {
		routes();
		await renderLoaded();
		const input = screen.getByLabelText( 'Existing access key' );
		await userEvent.type( input, 'bad key!' );
		expect( input ).toHaveAttribute( 'aria-invalid', 'true' );
		expect(
			screen.getByText( 'A key is 8 to 128 letters, digits, “_” or “-”.' )
		).toBeInTheDocument();
		expect(
			screen.getByRole( 'button', { name: 'Use this key' } )
		).toBeDisabled();
	} );

	it( 'shows the status and body of the test webhook', async () => {
		routes( {
			[ `POST ${ NS }/test-webhook` ]: {
				status: 200,
				body: { success: true, action: 'test' },
				error: null,
				duration_ms: 35,
			},
		} );
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Send test webhook' } )
		);
		expect(
			await screen.findByText( 'HTTP status: 200 (35 ms)' )
		).toBeInTheDocument();
		expect(
			screen.getByText(
				'The webhook endpoint answered as the CRM expects.'
			)
		).toBeInTheDocument();
		expect( screen.getByTestId( 'test-webhook-body' ) ).toHaveTextContent(
			'"action": "test"'
		);
	} );

	it( 'says what blocks the endpoint when the test webhook gets HTML back', async () => {
		routes( {
			[ `POST ${ NS }/test-webhook` ]: {
				status: 403,
				body: 'Blocked by firewall',
				error: null,
				duration_ms: 12,
			},
		} );
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Send test webhook' } )
		);
		expect(
			await screen.findByText( 'HTTP status: 403 (12 ms)' )
		).toBeInTheDocument();
		expect(
			screen.getByText( /firewall, cache or security plugin blocks/ )
		).toBeInTheDocument();
	} );

	it( 'shows why the test webhook got no answer at all', async () => {
		routes( {
			[ `POST ${ NS }/test-webhook` ]: {
				status: null,
				body: null,
				error: 'cURL error 7: Failed to connect to shop.example port 443',
				duration_ms: 3,
			},
		} );
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Send test webhook' } )
		);
		expect(
			await screen.findByText( 'HTTP status: none (3 ms)' )
		).toBeInTheDocument();
		expect(
			screen.getByText( /cURL error 7: Failed to connect/ )
		).toBeInTheDocument();
	} );

	it( 'explains the 202 answer and the wait step before the CRM email', async () => {
		routes();
		await renderLoaded();
		expect( screen.getByText( /202.*wait step/ ) ).toBeInTheDocument();
	} );

	it( 'shows the load error instead of the screen', async () => {
		routes( {
			[ `GET ${ NS }/access-key` ]: rejectWith(
				'Sorry, you are not allowed to do that.',
				403
			),
		} );
		render( <WebhooksScreen /> );
		expect(
			await screen.findByText( 'Sorry, you are not allowed to do that.' )
		).toBeInTheDocument();
	} );
} );
