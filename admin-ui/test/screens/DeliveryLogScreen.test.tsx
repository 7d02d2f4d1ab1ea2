import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import {
	DeliveryLogScreen,
	LOG_REFRESH_MS,
} from '../../src/screens/DeliveryLogScreen';
import { apiFetchMock, rejectWith, requestsTo, routeApi } from '../helpers/api';
import { deliveryFixture, NS } from '../helpers/fixtures';
import { resetPage } from '../helpers/setup';

jest.mock( '@wordpress/api-fetch' );

const DONE = deliveryFixture();
const FAILED = deliveryFixture( {
	id: 'msg_00000000000000000000000000000002',
	contact_id: 8,
	state: 'failed',
	result_status: null,
	user_id: null,
	email: 'bob@example.com',
	error: {
		code: 'contact_not_found',
		message: 'Contact 8 does not exist in the CRM.',
		http_status: 404,
	},
	attempts: [
		{
			n: 1,
			started_at: '2026-11-28T10:01:00Z',
			duration_ms: 120,
			error: { code: 'crm_unavailable', message: 'CRM answered 503' },
		},
		{
			n: 2,
			started_at: '2026-11-28T10:02:00Z',
			duration_ms: 95,
			error: {
				code: 'contact_not_found',
				message: 'Contact 8 does not exist in the CRM.',
			},
		},
	],
} );

const FIRST_PAGE = `GET ${ NS }/deliveries?page=1&per_page=20`;

/** `GET /deliveries/{id}/link` for FAILED: the user with its email, linked to no contact. */
const LINK_TARGET = {
	contact_id: 8,
	user: {
		id: 12,
		login: 'bob',
		display_name: 'Bob',
		email: 'bob@example.com',
	},
	linked_contact_id: null as number | null,
};

/** Renders the log and opens the details of FAILED (contact 8). */
async function openFailedDetails(): Promise< HTMLElement > {
	render( <DeliveryLogScreen /> );
	await screen.findByText( 'ada@example.com' );
	await userEvent.click(
		within( rowFor( 8 ) ).getByRole( 'button', { name: /Details/ } )
	);
	return screen.findByRole( 'dialog', { name: 'Delivery details' } );
}

function routes( overrides: Record< string, unknown > = {} ) {
	routeApi( {
		[ FIRST_PAGE ]: {
			items: [ DONE, FAILED ],
			total: 2,
			page: 1,
			per_page: 20,
		},
		[ `GET ${ NS }/deliveries/${ FAILED.id }` ]: FAILED,
		[ `POST ${ NS }/deliveries/${ FAILED.id }/replay` ]: {
			delivery_id: FAILED.id,
			state: 'queued',
		},
		...overrides,
	} );
}

function rowFor( contactId: number ): HTMLElement {
	const link = screen.getByRole( 'link', {
		name: new RegExp( `^${ contactId }` ),
	} );
	return link.closest( 'tr' ) as HTMLElement;
}

describe( 'DeliveryLogScreen', () => {
	beforeEach( resetPage );
	afterEach( () => jest.useRealTimers() );

	it( 'lists deliveries with links to the CRM contact and the WordPress user', async () => {
		routes();
		render( <DeliveryLogScreen /> );
		await screen.findByText( 'ada@example.com' );
		const row = rowFor( 7 );
		expect(
			within( row ).getByRole( 'link', { name: /^7/ } )
		).toHaveAttribute(
			'href',
			'https://acme.pulsecrm.example/crm/contact/7/edit'
		);
		expect(
			within( row ).getByRole( 'link', { name: 'ada@example.com' } )
		).toHaveAttribute(
			'href',
			'https://shop.example/wp-admin/user-edit.php?user_id=5'
		);
		expect( row ).toHaveTextContent( 'Done (created)' );
		expect( row ).toHaveTextContent( '420 ms' );
		expect(
			screen.getByText( 'Page 1 of 1 (2 deliveries)' )
		).toBeInTheDocument();
	} );

	it( 'offers Replay only for failed deliveries', async () => {
		routes();
		render( <DeliveryLogScreen /> );
		await screen.findByText( 'ada@example.com' );
		expect(
			within( rowFor( 7 ) ).queryByRole( 'button', { name: /Replay/ } )
		).not.toBeInTheDocument();
		expect(
			within( rowFor( 8 ) ).getByRole( 'button', { name: /Replay/ } )
		).toBeInTheDocument();
	} );

	it( 'replays a failed delivery and reloads the page', async () => {
		routes();
		render( <DeliveryLogScreen /> );
		await screen.findByText( 'ada@example.com' );
		const listCalls = requestsTo(
			'GET',
			`${ NS }/deliveries?page=1&per_page=20`
		).length;
		await userEvent.click(
			within( rowFor( 8 ) ).getByRole( 'button', { name: /Replay/ } )
		);
		expect(
			await screen.findByText( 'The delivery was queued again.' )
		).toBeInTheDocument();
		expect(
			requestsTo( 'POST', `${ NS }/deliveries/${ FAILED.id }/replay` )
		).toHaveLength( 1 );
		await waitFor( () =>
			expect(
				requestsTo( 'GET', `${ NS }/deliveries?page=1&per_page=20` )
					.length
			).toBeGreaterThan( listCalls )
		);
	} );

	it( 'shows the server message when a replay is refused', async () => {
		routes( {
			[ `POST ${ NS }/deliveries/${ FAILED.id }/replay` ]: rejectWith(
				'The bridge is not reachable.',
				502
			),
		} );
		render( <DeliveryLogScreen /> );
		await screen.findByText( 'ada@example.com' );
		await userEvent.click(
			within( rowFor( 8 ) ).getByRole( 'button', { name: /Replay/ } )
		);
		expect(
			await screen.findByText( 'The bridge is not reachable.' )
		).toBeInTheDocument();
	} );

	it( 'sends the filters as query parameters, a number as contact_id', async () => {
		routes( {
			[ `GET ${ NS }/deliveries?status=failed&action=add&contact_id=8&page=1&per_page=20` ]:
				{
					items: [ FAILED ],
					total: 1,
					page: 1,
					per_page: 20,
				},
		} );
		render( <DeliveryLogScreen /> );
		await screen.findByText( 'ada@example.com' );
		await userEvent.selectOptions(
			screen.getByLabelText( 'Status' ),
			'failed'
		);
		await userEvent.selectOptions(
			screen.getByLabelText( 'Action' ),
			'add'
		);
		await userEvent.type(
			screen.getByLabelText( 'Contact ID or email' ),
			'8'
		);
		await waitFor( () =>
			expect(
				screen.queryByText( 'ada@example.com' )
			).not.toBeInTheDocument()
		);
		expect( screen.getByText( 'bob@example.com' ) ).toBeInTheDocument();
	} );

	it( 'filters by email and shows the empty state', async () => {
		routes( {
			[ `GET ${ NS }/deliveries?email=nobody%40example.com&page=1&per_page=20` ]:
				{
					items: [],
					total: 0,
					page: 1,
					per_page: 20,
				},
		} );
		render( <DeliveryLogScreen /> );
		await screen.findByText( 'ada@example.com' );
		await userEvent.type(
			screen.getByLabelText( 'Contact ID or email' ),
			'nobody@example.com'
		);
		expect(
			await screen.findByText( 'No deliveries match.' )
		).toBeInTheDocument();
	} );

	it( 'pages through the log', async () => {
		routes( {
			[ FIRST_PAGE ]: {
				items: [ DONE ],
				total: 25,
				page: 1,
				per_page: 20,
			},
			[ `GET ${ NS }/deliveries?page=2&per_page=20` ]: {
				items: [ FAILED ],
				total: 25,
				page: 2,
				per_page: 20,
			},
		} );
		render( <DeliveryLogScreen /> );
		await screen.findByText( 'Page 1 of 2 (25 deliveries)' );
		expect(
			screen.getByRole( 'button', { name: 'Previous page' } )
		).toBeDisabled();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Next page' } )
		);
		expect(
			await screen.findByText( 'bob@example.com' )
		).toBeInTheDocument();
		expect(
			screen.getByRole( 'button', { name: 'Next page' } )
		).toBeDisabled();
	} );

	it( 'opens the details with the redacted request and each attempt’s error', async () => {
		routes();
		render( <DeliveryLogScreen /> );
		await screen.findByText( 'ada@example.com' );
		await userEvent.click(
			within( rowFor( 8 ) ).getByRole( 'button', { name: /Details/ } )
		);
		const dialog = await screen.findByRole( 'dialog', {
			name: 'Delivery details',
		} );
		await within( dialog ).findByText(
			/crm_unavailable: CRM answered 503/
		);
		expect(
			within( dialog ).getByTestId( 'delivery-request' )
		).toHaveTextContent( '"access_key": "[redacted]"' );
		expect(
			within( dialog ).getAllByText(
				/contact_not_found: Contact 8 does not exist/
			)
		).toHaveLength( 2 );
		expect(
			within( dialog ).getByRole( 'button', { name: 'Replay' } )
		).toBeInTheDocument();
		await userEvent.click(
			within( dialog ).getByRole( 'button', { name: 'Close' } )
		);
		// The modal animates out before it tells the screen to close it.
		await waitFor( () =>
			expect( screen.queryByRole( 'dialog' ) ).not.toBeInTheDocument()
		);
	} );

	it( 'replays from the details and shows the new state at once', async () => {
		let replayed = false;
		routes( {
			[ `GET ${ NS }/deliveries/${ FAILED.id }` ]: () =>
				replayed ? { ...FAILED, state: 'queued', error: null } : FAILED,
			[ `POST ${ NS }/deliveries/${ FAILED.id }/replay` ]: () => {
				replayed = true;
				return { delivery_id: FAILED.id, state: 'queued' };
			},
		} );
		render( <DeliveryLogScreen /> );
		await screen.findByText( 'ada@example.com' );
		await userEvent.click(
			within( rowFor( 8 ) ).getByRole( 'button', { name: /Details/ } )
		);
		const dialog = await screen.findByRole( 'dialog', {
			name: 'Delivery details',
		} );
		await userEvent.click(
			await within( dialog ).findByRole( 'button', { name: 'Replay' } )
		);
		expect(
			await within( dialog ).findByText(
				'Queued',
				{},
				// Well before the 5 s auto-refresh could load it instead.
				{ timeout: 2000 }
			)
		).toBeInTheDocument();
		expect(
			within( dialog ).queryByRole( 'button', { name: 'Replay' } )
		).not.toBeInTheDocument();
	} );

	it( 'links a contact refused for its link to the user with its email, which replays it', async () => {
		const REFUSED = {
			...FAILED,
			error: {
				code: 'user_linked_to_other_contact',
				message:
					'A WordPress user with the email address of contact 8 is already linked to contact 7; a webhook never moves a link.',
				http_status: 422,
			},
			attempts: [],
		};
		let linked = false;
		routes( {
			[ FIRST_PAGE ]: {
				items: [ DONE, REFUSED ],
				total: 2,
				page: 1,
				per_page: 20,
			},
			[ `GET ${ NS }/deliveries/${ FAILED.id }` ]: () =>
				linked ? { ...REFUSED, state: 'queued', error: null } : REFUSED,
			[ `GET ${ NS }/deliveries/${ FAILED.id }/link` ]: {
				...LINK_TARGET,
				linked_contact_id: 7,
			},
			[ `POST ${ NS }/deliveries/${ FAILED.id }/link` ]: () => {
				linked = true;
				return {
					...LINK_TARGET,
					linked_contact_id: 7,
					replay: { delivery_id: FAILED.id, state: 'queued' },
				};
			},
		} );
		const dialog = await openFailedDetails();
		expect(
			await within( dialog ).findByText(
				/is linked to contact 7\. Linking it to contact 8 moves the link/
			)
		).toBeInTheDocument();
		await userEvent.click(
			within( dialog ).getByRole( 'button', {
				name: 'Link this contact to user bob (#12)',
			} )
		);
		expect(
			await within( dialog ).findByText(
				'Linked. The delivery was queued again.'
			)
		).toBeInTheDocument();
		expect(
			requestsTo( 'POST', `${ NS }/deliveries/${ FAILED.id }/link` )
		).toHaveLength( 1 );
		expect(
			requestsTo( 'POST', `${ NS }/deliveries/${ FAILED.id }/replay` )
		).toHaveLength( 0 );
		expect(
			await within( dialog ).findByText( 'Queued', {}, { timeout: 2000 } )
		).toBeInTheDocument();
		expect(
			within( dialog ).queryByRole( 'button', {
				name: /Link this contact/,
			} )
		).not.toBeInTheDocument();
	} );

	it( 'offers no link for other failures, and shows why a link is refused', async () => {
		routes();
		const dialog = await openFailedDetails();
		await within( dialog ).findByRole( 'button', { name: 'Replay' } );
		expect(
			within( dialog ).queryByRole( 'button', {
				name: /Link this contact/,
			} )
		).not.toBeInTheDocument();
		expect(
			requestsTo( 'GET', `${ NS }/deliveries/${ FAILED.id }/link` )
		).toHaveLength( 0 );
	} );

	it( 'shows the server’s reason when the user cannot be linked', async () => {
		const DISABLED = {
			...FAILED,
			error: { code: 'email_link_disabled', message: 'Off.' },
		};
		routes( {
			[ `GET ${ NS }/deliveries/${ FAILED.id }` ]: DISABLED,
			[ `GET ${ NS }/deliveries/${ FAILED.id }/link` ]: rejectWith(
				'This user holds administrative capabilities; webhooks never change such users, so linking them to a contact would have no effect.',
				409
			),
		} );
		const dialog = await openFailedDetails();
		expect(
			await within( dialog ).findByText(
				/holds administrative capabilities/
			)
		).toBeInTheDocument();
		expect(
			within( dialog ).queryByRole( 'button', {
				name: /Link this contact/,
			} )
		).not.toBeInTheDocument();
	} );

	it( 'keeps the link offered and shows the reason when the link is refused', async () => {
		const REFUSED = {
			...FAILED,
			error: { code: 'user_linked_to_other_contact', message: 'Taken.' },
		};
		routes( {
			[ `GET ${ NS }/deliveries/${ FAILED.id }` ]: REFUSED,
			[ `GET ${ NS }/deliveries/${ FAILED.id }/link` ]: LINK_TARGET,
			[ `POST ${ NS }/deliveries/${ FAILED.id }/link` ]: rejectWith(
				'The bridge could not be reached.',
				502
			),
		} );
		const dialog = await openFailedDetails();
		expect(
			await within( dialog ).findByText( /is linked to no contact/ )
		).toBeInTheDocument();
		await userEvent.click(
			within( dialog ).getByRole( 'button', {
				name: 'Link this contact to user bob (#12)',
			} )
		);
		expect(
			await within( dialog ).findByText(
				'The bridge could not be reached.'
			)
		).toBeInTheDocument();
		expect(
			within( dialog ).getByRole( 'button', {
				name: /Link this contact/,
			} )
		).toBeEnabled();
		expect(
			within( dialog ).queryByText(
				'Linked. The delivery was queued again.'
			)
		).not.toBeInTheDocument();
	} );

	it( 'shows a load error as a notice', async () => {
		routes( {
			[ FIRST_PAGE ]: rejectWith( 'The bridge is not reachable.', 502 ),
		} );
		render( <DeliveryLogScreen /> );
		expect(
			await screen.findByText( 'The bridge is not reachable.' )
		).toBeInTheDocument();
	} );

	it( 'refreshes itself while open and stops when closed', async () => {
		jest.useFakeTimers();
		routes();
		const { unmount } = render( <DeliveryLogScreen /> );
		await act( async () => {
			await jest.advanceTimersByTimeAsync( 0 );
		} );
		const before = requestsTo(
			'GET',
			`${ NS }/deliveries?page=1&per_page=20`
		).length;
		await act( async () => {
			await jest.advanceTimersByTimeAsync( LOG_REFRESH_MS * 2 );
		} );
		expect(
			requestsTo( 'GET', `${ NS }/deliveries?page=1&per_page=20` ).length
		).toBe( before + 2 );
		unmount();
		apiFetchMock.mockClear();
		await act( async () => {
			await jest.advanceTimersByTimeAsync( LOG_REFRESH_MS * 2 );
		} );
		expect( apiFetchMock ).not.toHaveBeenCalled();
	} );
} );
