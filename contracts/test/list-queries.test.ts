import { DeliveryListQuery, ImportPreviewQuery } from '../src';
import { firstIssue } from './support/first-issue';

describe( 'DeliveryListQuery (GET /v1/deliveries)', () => {
	it( 'reads the text of a URL query, with the page defaults', () => {
		expect(
			DeliveryListQuery.parse( {
				status: 'pending',
				action: 'update_tags',
				contact_id: '42',
				email: 'ann@example.com',
			} )
		).toEqual( {
			page: 1,
			per_page: 20,
			status: 'queued',
			action: 'update_tags',
			contact_id: 42,
			email: 'ann@example.com',
		} );
	} );

	it.each( [
		[ { per_page: '1000' }, 'per_page: a whole number from 1 to 100' ],
		[ { page: '0' }, 'page: a whole number from 1 to 1000000' ],
		[ { page: '1.5' }, 'page: a whole number from 1 to 1000000' ],
		[
			{ status: 'lost' },
			'status: one of pending, queued, in_progress, done, failed',
		],
		[ { action: 'delete' }, 'action: one of add, update, update_tags' ],
		[
			{ contact_id: '-3' },
			'contact_id: a whole number from 1 to 9007199254740991',
		],
		[
			{ email: 'x'.repeat( 255 ) },
			'email: a non-empty string of at most 254 characters',
		],
	] )( 'refuses %j, naming the parameter', ( query, message ) => {
		expect( firstIssue( DeliveryListQuery, query ) ).toBe( message );
	} );
} );

describe( 'ImportPreviewQuery (GET /v1/imports/preview)', () => {
	it( 'needs the tag: an absent tag_id is refused, not read as tag 0', () => {
		expect( firstIssue( ImportPreviewQuery, {} ) ).toBe(
			'tag_id: a whole number from 1 to 9007199254740991'
		);
		expect( ImportPreviewQuery.parse( { tag_id: '7' } ) ).toEqual( {
			tag_id: 7,
		} );
	} );
} );
