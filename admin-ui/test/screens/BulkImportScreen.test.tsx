import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { ImportRun } from '../../src/api/imports';
import { BulkImportScreen } from '../../src/screens/BulkImportScreen';
import { requestsTo, routeApi } from '../helpers/api';
import { NS, ROLE_LIST, settingsFixture } from '../helpers/fixtures';
import { resetPage } from '../helpers/setup';

jest.mock( '@wordpress/api-fetch' );

function run( overrides: Partial< ImportRun > = {} ): ImportRun {
	return {
		id: 3,
		kind: 'import',
		state: 'running',
		tag_id: 7,
		role: null,
		send_notification: false,
		mapped_fields: false,
		total: 40,
		counts: {
			found: 15,
			processed: 10,
			created: 9,
			updated: 0,
			skipped: 1,
			failed: 0,
			queued: 5,
		},
		all_found: false,
		error: null,
		created_at: '2026-12-02T05:00:00Z',
		finished_at: null,
		...overrides,
	};
}

function routes( runs: ImportRun[] ) {
	routeApi( {
		[ `GET ${ NS }/imports` ]: { runs },
		[ `GET ${ NS }/crm/tags` ]: { tags: [ { id: 7, name: 'VIP' } ] },
		[ `GET ${ NS }/roles` ]: ROLE_LIST,
		[ `GET ${ NS }/settings` ]: settingsFixture(),
		[ `GET ${ NS }/imports/preview?tag_id=7` ]: { tag_id: 7, contacts: 40 },
		[ `POST ${ NS }/imports` ]: run(),
		[ `POST ${ NS }/imports/3/pause` ]: run( { state: 'paused' } ),
	} );
}

describe( 'BulkImportScreen', () => {
	beforeEach( resetPage );

	it( 'shows the run the bridge reports, against the total it started with', async () => {
		routes( [ run() ] );
		render( <BulkImportScreen /> );
		const bar = await screen.findByRole( 'progressbar' );
		expect( bar ).toHaveAttribute( 'aria-valuenow', '25' );
		expect( bar ).toHaveAttribute( 'aria-valuetext', '10 of 40 contacts' );
		expect( screen.getByText( 'Run 3: running' ) ).toBeInTheDocument();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Pause' } )
		);
		await waitFor( () =>
			expect(
				requestsTo( 'POST', `${ NS }/imports/3/pause` )
			).toHaveLength( 1 )
		);
	} );

	it( 'counts the tag first, then starts the import with the chosen options', async () => {
		routes( [] );
		render( <BulkImportScreen /> );
		const tag = await screen.findByLabelText( 'CRM tag' );
		await screen.findByRole( 'option', { name: 'VIP' } );
		expect(
			screen.getByRole( 'button', { name: 'Import' } )
		).toBeDisabled();
		await userEvent.selectOptions( tag, '7' );
		await screen.findByText( '40 contacts carry this tag.' );
		await userEvent.click(
			screen.getByLabelText( 'Send the welcome email to new users' )
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Import' } )
		);
		await waitFor( () =>
			expect(
				requestsTo( 'POST', `${ NS }/imports` )[ 0 ]?.data
			).toEqual( {
				kind: 'import',
				tag_id: 7,
				role: '',
				send_notification: true,
			} )
		);
	} );
} );
