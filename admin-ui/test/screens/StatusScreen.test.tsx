import { render, screen, within } from '@testing-library/react';
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
	pairing: {
		paired: true,
		bridge_url: 'https://bridge.shop.example',
		version: '0.2.0',
		paired_at: '2026-11-28T09:00:00Z',
		last_seen_at: '2026-11-28T10:00:00Z',
		previous_secret_valid_until: null,
	},
	spool: { pending: 0 },
	plugin_version: '0.1.1',
};

const NOT_PAIRED = {
	paired: false,
	bridge_url: null,
	version: null,
	paired_at: null,
	last_seen_at: null,
	previous_secret_valid_until: null,
};

const ISSUED = {
	code: '7K3M-9QXR-2ZPB-4HND',
	expires_at: '2026-11-28T10:15:00Z',
	command:
		'npx pulse-sync-bridge pair https://shop.example --code 7K3M-9QXR-2ZPB-4HND',
};

function withCrmPace( pace: Record< string, unknown > ) {
	const crm = { ...HEALTHY.bridge.status.crm, pace };
	return {
		...HEALTHY,
		bridge: {
			...HEALTHY.bridge,
			status: { ...HEALTHY.bridge.status, crm },
		},
	};
}

function withPairingState( pairing: Record< string, unknown > ) {
	return { ...HEALTHY, pairing };
}

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

	it( 'shows the CRM pace: not limited while the CRM has not said no', async () => {
		routeApi( {
			[ `GET ${ NS }/status` ]: withCrmPace( {
				requests_per_second: null,
				ceiling: null,
				current_per_second: 212,
				limited_by_crm: false,
				last_limited_at: null,
			} ),
		} );
		render( <StatusScreen /> );
		const pace = await screen.findByTestId( 'crm-pace' );
		expect( pace ).toHaveTextContent(
			'Not limited: as fast as the machine goes'
		);
		expect( pace ).toHaveTextContent( '212' );
		expect( pace ).toHaveTextContent( /Limited by the CRM\s*No/ );
	} );

	it( 'shows the CRM pace and its ceiling, and that the CRM is limiting it', async () => {
		routeApi( {
			[ `GET ${ NS }/status` ]: withCrmPace( {
				requests_per_second: 48.5,
				ceiling: 100,
				current_per_second: 47,
				limited_by_crm: true,
				last_limited_at: '2026-11-28T10:00:00.000Z',
			} ),
		} );
		render( <StatusScreen /> );
		const pace = await screen.findByTestId( 'crm-pace' );
		expect( pace ).toHaveTextContent( '48.5 requests/s (ceiling 100)' );
		expect( pace ).toHaveTextContent(
			/Yes: the CRM asked the bridge to slow down/
		);
	} );

	it( 'shows no pace when the bridge does not report one', async () => {
		routeApi( { [ `GET ${ NS }/status` ]: HEALTHY } );
		render( <StatusScreen /> );
		await screen.findByText( 'The bridge is reachable.' );
		expect( screen.queryByTestId( 'crm-pace' ) ).not.toBeInTheDocument();
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
			screen.getByText( /pair one under “Pair a bridge” below/ )
		).toBeInTheDocument();
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

	it( 'shows the paired bridge with its URL, version and last-seen time', async () => {
		routeApi( { [ `GET ${ NS }/status` ]: HEALTHY } );
		render( <StatusScreen /> );
		expect(
			await screen.findByTestId( 'pairing-state' )
		).toHaveTextContent(
			/^Paired: bridge at https:\/\/bridge\.shop\.example, version 0\.2\.0, last seen .+ ago\)\.$/
		);
		expect(
			screen.queryByText( /previous secret is still accepted/ )
		).not.toBeInTheDocument();
	} );

	it( 'says when the previous secret of a re-pairing is still accepted', async () => {
		routeApi( {
			[ `GET ${ NS }/status` ]: withPairingState( {
				...HEALTHY.pairing,
				previous_secret_valid_until: '2026-11-28T10:10:00Z',
			} ),
		} );
		render( <StatusScreen /> );
		expect(
			await screen.findByText( /previous secret is still accepted until/ )
		).toBeInTheDocument();
	} );

	it( 'says how to pair when no bridge is paired, and that a bridge never seen is "never"', async () => {
		routeApi( {
			[ `GET ${ NS }/status` ]: withPairingState( NOT_PAIRED ),
		} );
		const { unmount } = render( <StatusScreen /> );
		expect(
			await screen.findByTestId( 'pairing-state' )
		).toHaveTextContent( 'No bridge is paired with this site yet' );
		unmount();
		routeApi( {
			[ `GET ${ NS }/status` ]: withPairingState( {
				...HEALTHY.pairing,
				last_seen_at: null,
			} ),
		} );
		render( <StatusScreen /> );
		expect(
			await screen.findByTestId( 'pairing-state' )
		).toHaveTextContent( /last seen never\.$/ );
	} );

	it( 'generates a pairing code and shows the code, its expiry and the command to copy', async () => {
		routeApi( {
			[ `GET ${ NS }/status` ]: withPairingState( NOT_PAIRED ),
			[ `POST ${ NS }/pairing/code` ]: ISSUED,
		} );
		render( <StatusScreen /> );
		expect( screen.queryByTestId( 'pairing-command' ) ).toBeNull();
		await userEvent.click(
			await screen.findByRole( 'button', {
				name: 'Generate pairing code',
			} )
		);
		expect(
			await screen.findByTestId( 'pairing-command' )
		).toHaveTextContent( ISSUED.command );
		expect( screen.getByTestId( 'pairing-code' ) ).toHaveTextContent(
			ISSUED.code
		);
		expect( screen.getByTestId( 'pairing-expiry' ) ).toHaveTextContent(
			new Date( ISSUED.expires_at ).toLocaleString()
		);
		expect( requestsTo( 'POST', `${ NS }/pairing/code` ) ).toHaveLength(
			1
		);

		// jsdom has no clipboard: the copy takes the selection path, whose text is recorded here.
		const copied: string[] = [];
		const execCommand = document.execCommand;
		document.execCommand = jest.fn( () => {
			copied.push(
				document.querySelector< HTMLTextAreaElement >(
					'textarea[readonly]'
				)?.value ?? ''
			);
			return true;
		} );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Copy the pairing command' } )
		);
		expect( copied ).toEqual( [ ISSUED.command ] );
		expect(
			screen.getByRole( 'button', { name: 'Copy the pairing command' } )
		).toHaveTextContent( 'Copied!' );
		document.execCommand = execCommand;
		expect(
			screen.getByRole( 'button', { name: 'Generate a new code' } )
		).toBeEnabled();
	} );

	it( 'never shows a secret, only the code', async () => {
		routeApi( {
			[ `GET ${ NS }/status` ]: HEALTHY,
			[ `POST ${ NS }/pairing/code` ]: ISSUED,
		} );
		const { container } = render( <StatusScreen /> );
		await userEvent.click(
			await screen.findByRole( 'button', {
				name: 'Generate pairing code',
			} )
		);
		await screen.findByTestId( 'pairing-command' );
		expect( container.textContent ).not.toMatch( /whsec_|SECRET/ );
	} );

	it( 'shows why a pairing code could not be generated', async () => {
		routeApi( {
			[ `GET ${ NS }/status` ]: HEALTHY,
			[ `POST ${ NS }/pairing/code` ]: rejectWith(
				'Sorry, you are not allowed to do that.',
				403
			),
		} );
		render( <StatusScreen /> );
		await userEvent.click(
			await screen.findByRole( 'button', {
				name: 'Generate pairing code',
			} )
		);
		const card = ( await screen.findByText( 'Pair a bridge' ) ).closest(
			'.components-card'
		) as HTMLElement;
		expect(
			await within( card ).findByText(
				'Sorry, you are not allowed to do that.'
			)
		).toBeInTheDocument();
		expect( screen.queryByTestId( 'pairing-command' ) ).toBeNull();
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
