import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { StatusScreen } from '../../src/screens/StatusScreen';
import { rejectWith, routeApi } from '../helpers/api';
import { NS } from '../helpers/fixtures';
import { resetPage } from '../helpers/setup';

jest.mock( '@wordpress/api-fetch' );

const HEALTHY = {
	bridge: {
		reachable: true,
		url: 'http://127.0.0.1:8787',
		status: {
			version: '0.2.0',
			queue: {
				pending: 4,
				in_progress: 1,
				failed: 3,
				done: 120,
				oldest_pending_at: '2026-11-28T10:00:00Z',
			},
			crm: {
				connected: true,
				account_url: 'https://acme.pulsecrm.example',
				expires_at: null,
				last_error: null,
			},
		},
	},
	spool: { pending: 0 },
	plugin_version: '0.1.1',
};

describe( 'StatusScreen', () => {
	beforeEach( resetPage );

	it( 'shows versions, queue depth, oldest waiting and failed count', async () => {
		routeApi( { [ `GET ${ NS }/status` ]: HEALTHY } );
		render( <StatusScreen /> );
		expect(
			await screen.findByText( 'The bridge is reachable.' )
		).toBeInTheDocument();
		expect( screen.getByText( '0.1.1' ) ).toBeInTheDocument();
		expect( screen.getByText( '0.2.0' ) ).toBeInTheDocument();
		expect( screen.getByTestId( 'queue-depth' ) ).toHaveTextContent( '5' );
		expect( screen.getByTestId( 'failed-count' ) ).toHaveTextContent( '3' );
		expect( screen.getByText( /ago\)$/ ) ).toBeInTheDocument();
		expect(
			screen.queryByText( /Webhooks are still accepted/ )
		).not.toBeInTheDocument();
	} );

	it( 'says what to do when the bridge is down', async () => {
		routeApi( {
			[ `GET ${ NS }/status` ]: {
				bridge: {
					reachable: false,
					url: 'http://127.0.0.1:8787',
					error: 'Connection refused.',
				},
				spool: { pending: 12 },
			},
		} );
		render( <StatusScreen /> );
		expect(
			await screen.findByText(
				/The bridge at http:\/\/127.0.0.1:8787 does not answer. Connection refused./
			)
		).toBeInTheDocument();
		expect(
			screen.getByTestId( 'bridge-start-command' )
		).toHaveTextContent(
			`PULSE_SYNC_SITE_URL='https://shop.example' PULSE_SYNC_BRIDGE_SECRET="$(wp option get pulse_sync_bridge_secret)" npm start -w bridge`
		);
		expect( screen.getByText( /whsec_Ab…/ ) ).toBeInTheDocument();
		expect(
			screen.getByText( /Webhooks are still accepted/ )
		).toBeInTheDocument();
	} );

	it( 'shows the REST error and loads again on Refresh', async () => {
		let calls = 0;
		routeApi( {
			[ `GET ${ NS }/status` ]: () => {
				calls++;
				return calls === 1
					? Promise.reject( {
							code: 'rest_forbidden',
							message: 'Sorry, you are not allowed to do that.',
							data: { status: 403 },
						} )
					: HEALTHY;
			},
		} );
		render( <StatusScreen /> );
		expect(
			await screen.findByText( 'Sorry, you are not allowed to do that.' )
		).toBeInTheDocument();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Refresh' } )
		);
		expect(
			await screen.findByText( 'The bridge is reachable.' )
		).toBeInTheDocument();
		expect(
			screen.queryByText( 'Sorry, you are not allowed to do that.' )
		).not.toBeInTheDocument();
	} );

	it( 'keeps working when the status route itself fails', async () => {
		routeApi( {
			[ `GET ${ NS }/status` ]: rejectWith( 'Internal error.', 500 ),
		} );
		render( <StatusScreen /> );
		expect(
			await screen.findByText( 'Internal error.' )
		).toBeInTheDocument();
		expect(
			screen.getByRole( 'button', { name: 'Refresh' } )
		).toBeEnabled();
	} );
} );
