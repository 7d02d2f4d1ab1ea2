import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { StatusScreen } from '../../src/screens/StatusScreen';
import { rejectWith, requestsTo, routeApi } from '../helpers/api';
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

	describe( 'deliveries the bridge refused from the spool', () => {
		const REFUSED = {
			id: 5,
			delivery_id: 'msg_refused',
			action: 'add',
			contact_id: 77,
			received_at: '2026-11-28T10:00:00Z',
			attempts: 1,
			error: 'HTTP 400 invalid_request: params.role must be a string.',
			failed_at: '2026-11-28T10:01:00Z',
		};

		function routeWithRefused( remaining: { current: boolean } ) {
			routeApi( {
				[ `GET ${ NS }/status` ]: () => ( {
					...HEALTHY,
					spool: { pending: 0, failed: remaining.current ? 1 : 0 },
				} ),
				[ `GET ${ NS }/spool/failed` ]: () =>
					remaining.current
						? { items: [ REFUSED ], total: 1 }
						: { items: [], total: 0 },
				[ `POST ${ NS }/spool/5/replay` ]: () => {
					remaining.current = false;
					return { id: 5, state: 'pending' };
				},
				[ `DELETE ${ NS }/spool/5` ]: () => {
					remaining.current = false;
					return { id: 5, deleted: true };
				},
			} );
		}

		it( 'are listed with the reason and can be replayed', async () => {
			routeWithRefused( { current: true } );
			render( <StatusScreen /> );
			expect(
				await screen.findByText( REFUSED.error )
			).toBeInTheDocument();
			expect( screen.getByTestId( 'spool-failures' ) ).toHaveTextContent(
				'77'
			);
			await userEvent.click(
				screen.getByRole( 'button', { name: 'Replay msg_refused' } )
			);
			expect(
				await screen.findByText( /The delivery is back in line/ )
			).toBeInTheDocument();
			expect(
				requestsTo( 'POST', `${ NS }/spool/5/replay` )
			).toHaveLength( 1 );
			// The list and the status are loaded again: nothing refused is left.
			expect(
				await screen.findByText(
					'No refused delivery is left in the spool.'
				)
			).toBeInTheDocument();
			expect(
				screen.queryByText( REFUSED.error )
			).not.toBeInTheDocument();
			expect( requestsTo( 'GET', `${ NS }/status` ) ).toHaveLength( 2 );
		} );

		it( 'are discarded only after a confirmation', async () => {
			routeWithRefused( { current: true } );
			render( <StatusScreen /> );
			await screen.findByText( REFUSED.error );
			await userEvent.click(
				screen.getByRole( 'button', { name: 'Discard msg_refused' } )
			);
			expect( requestsTo( 'DELETE', `${ NS }/spool/5` ) ).toHaveLength(
				0
			);
			await userEvent.click(
				screen.getByRole( 'button', { name: 'Discard' } )
			);
			expect(
				await screen.findByText( 'The delivery was discarded.' )
			).toBeInTheDocument();
			expect( requestsTo( 'DELETE', `${ NS }/spool/5` ) ).toHaveLength(
				1
			);
		} );

		it( 'are not shown when there are none', async () => {
			routeWithRefused( { current: false } );
			render( <StatusScreen /> );
			await screen.findByText( 'The bridge is reachable.' );
			expect(
				screen.queryByText( 'Deliveries the bridge refused' )
			).not.toBeInTheDocument();
			expect( requestsTo( 'GET', `${ NS }/spool/failed` ) ).toHaveLength(
				0
			);
		} );
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
