import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { navigateTo } from '../../src/lib/navigation';
import { CrmConnectionScreen } from '../../src/screens/CrmConnectionScreen';
import { rejectWith, requestsTo, routeApi } from '../helpers/api';
import { CRM_FIELDS, NS, settingsFixture } from '../helpers/fixtures';
import { resetPage } from '../helpers/setup';

jest.mock( '@wordpress/api-fetch' );
jest.mock( '../../src/lib/navigation' );

const CONNECTED = {
	bridge: {
		reachable: true,
		status: {
			version: '0.1.0',
			crm: {
				connected: true,
				account_url: 'https://acme.pulsecrm.example',
				expires_at: '2026-11-28T12:00:00Z',
				last_error: null,
			},
		},
	},
};

function routes( overrides: Record< string, unknown > = {} ) {
	routeApi( {
		[ `GET ${ NS }/settings` ]: settingsFixture( {
			crm_client_secret_set: true,
		} ),
		[ `GET ${ NS }/status` ]: CONNECTED,
		[ `POST ${ NS }/settings` ]: settingsFixture( {
			crm_client_secret_set: true,
		} ),
		...overrides,
	} );
}

async function renderLoaded() {
	render( <CrmConnectionScreen /> );
	await screen.findByLabelText( 'Account URL' );
	await screen.findByText( 'Yes' );
}

describe( 'CrmConnectionScreen', () => {
	beforeEach( resetPage );

	it( 'shows the stored settings and never the secret', async () => {
		routes();
		await renderLoaded();
		expect( screen.getByLabelText( 'Account URL' ) ).toHaveValue(
			'https://acme.pulsecrm.example'
		);
		expect( screen.getByLabelText( 'OAuth client ID' ) ).toHaveValue(
			'pulse-sync-demo'
		);
		const secret = screen.getByLabelText( 'OAuth client secret' );
		expect( secret ).toHaveValue( '' );
		expect( secret ).toHaveAttribute( 'placeholder', 'Stored (hidden)' );
		expect( secret ).toHaveAttribute( 'type', 'password' );
	} );

	it( 'saves without the secret when the box is left empty', async () => {
		routes();
		await renderLoaded();
		await userEvent.click( screen.getByRole( 'button', { name: 'Save' } ) );
		await screen.findByText( 'Settings saved.' );
		expect( requestsTo( 'POST', `${ NS }/settings` )[ 0 ]?.data ).toEqual( {
			crm_account_url: 'https://acme.pulsecrm.example',
			crm_client_id: 'pulse-sync-demo',
		} );
	} );

	it( 'sends a typed secret once and clears the box', async () => {
		routes();
		await renderLoaded();
		await userEvent.type(
			screen.getByLabelText( 'OAuth client secret' ),
			'demo-secret'
		);
		await userEvent.click( screen.getByRole( 'button', { name: 'Save' } ) );
		await screen.findByText( 'Settings saved.' );
		expect(
			requestsTo( 'POST', `${ NS }/settings` )[ 0 ]?.data
		).toMatchObject( {
			crm_client_secret: 'demo-secret',
		} );
		expect( screen.getByLabelText( 'OAuth client secret' ) ).toHaveValue(
			''
		);
	} );

	it( 'saves, then sends the browser to the CRM authorize page on Connect', async () => {
		const authorizeUrl =
			'https://acme.pulsecrm.example/oauth/authorize?client_id=pulse-sync-demo&state=s1';
		routes( {
			[ `POST ${ NS }/crm/connect` ]: { authorize_url: authorizeUrl },
		} );
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Reconnect' } )
		);
		await waitFor( () =>
			expect( navigateTo ).toHaveBeenCalledWith( authorizeUrl )
		);
		expect( requestsTo( 'POST', `${ NS }/settings` ) ).toHaveLength( 1 );
	} );

	it( 'does not start OAuth when saving the settings failed', async () => {
		routes( {
			[ `POST ${ NS }/settings` ]: rejectWith(
				'The account URL must start with https://.',
				400
			),
		} );
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Reconnect' } )
		);
		expect(
			await screen.findByText(
				'The account URL must start with https://.'
			)
		).toBeInTheDocument();
		expect( requestsTo( 'POST', `${ NS }/crm/connect` ) ).toHaveLength( 0 );
		expect( navigateTo ).not.toHaveBeenCalled();
	} );

	it( 'shows status, disconnects and reports the new state', async () => {
		routes( {
			[ `POST ${ NS }/crm/disconnect` ]: {
				connected: false,
				account_url: null,
				expires_at: null,
				last_error: null,
			},
		} );
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Disconnect' } )
		);
		expect(
			await screen.findByText( 'Disconnected from the CRM.' )
		).toBeInTheDocument();
		expect( screen.getByText( 'No' ) ).toBeInTheDocument();
		expect(
			screen.getByRole( 'button', { name: 'Connect' } )
		).toBeInTheDocument();
	} );

	it( 'refreshes fields and tags from the CRM', async () => {
		routes( {
			[ `GET ${ NS }/crm/fields?refresh=1` ]: { fields: CRM_FIELDS },
			[ `GET ${ NS }/crm/tags?refresh=1` ]: {
				tags: [ { id: 1, name: 'Website Access' } ],
			},
		} );
		await renderLoaded();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Refresh fields and tags' } )
		);
		expect(
			await screen.findByText(
				'Reloaded from the CRM (fields: 4, tags: 1).'
			)
		).toBeInTheDocument();
	} );

	it( 'shows the last CRM error', async () => {
		routes( {
			[ `GET ${ NS }/status` ]: {
				bridge: {
					reachable: true,
					status: {
						// The bridge's whole CrmStatus (contracts/src/status.ts).
						crm: {
							connected: false,
							account_url: 'https://acme.example',
							expires_at: null,
							last_error: 'invalid_grant: refresh token revoked',
							pace: null,
						},
					},
				},
			},
		} );
		render( <CrmConnectionScreen /> );
		expect(
			await screen.findByText( 'invalid_grant: refresh token revoked' )
		).toBeInTheDocument();
	} );
} );
