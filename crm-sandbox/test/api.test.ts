import { DEMO_CONTACT_COUNT, PAGE_SIZE } from '../src';
import { startTestSandbox, type TestSandbox } from './helpers';

let sandbox: TestSandbox;
let token: string;

beforeAll( async () => {
	sandbox = await startTestSandbox();
} );
afterAll( () => sandbox.close() );
beforeEach( async () => {
	await sandbox.control( 'POST', 'reset' );
	token = ( await sandbox.connect() ).access_token;
} );

describe( 'authentication', () => {
	it( 'answers 401 Unauthenticated without a token, with an unknown one, and with a malformed header', async () => {
		const attempts: Array< Record< string, string > > = [
			{},
			{ authorization: 'Bearer nope' },
			{ authorization: token },
		];
		for ( const headers of attempts ) {
			const answer = await sandbox.api( 'GET', 'tags', { headers } );
			expect( answer.status ).toBe( 401 );
			expect( answer.body ).toEqual( { error: 'Unauthenticated.' } );
		}
	} );

	it( 'rejects an expired token', async () => {
		expect( ( await sandbox.api( 'GET', 'tags', { token } ) ).status ).toBe(
			200
		);
		await sandbox.control( 'POST', 'tokens/expire' );
		expect( ( await sandbox.api( 'GET', 'tags', { token } ) ).status ).toBe(
			401
		);
	} );
} );

describe( 'read endpoints', () => {
	it( 'lists the demo tags with pagination meta', async () => {
		const answer = await sandbox.api( 'GET', 'tags', { token } );
		expect( answer.body ).toEqual( {
			data: [
				{ id: 1, name: 'Website Access' },
				{ id: 2, name: 'Import to WordPress' },
				{ id: 3, name: 'Unlock Course Two' },
				{ id: 4, name: 'VIP' },
			],
			meta: {
				current_page: 1,
				last_page: 1,
				per_page: PAGE_SIZE,
				total: 4,
			},
		} );
	} );

	it( 'lists available fields, some without a label and some with dotted keys', async () => {
		const { body } = await sandbox.api( 'GET', 'contact/available-fields', {
			token,
		} );
		expect( body.data.first_name ).toEqual( { label: 'First Name' } );
		expect( body.data.custom_password ).toEqual( {} );
		expect( body.data[ 'address_1.country' ] ).toEqual( {
			label: 'Country',
		} );
		expect( body.data.wp_password ).toBeDefined();
	} );

	it( 'loads a contact as a flat object and answers 404 Contact not found for unknown ids', async () => {
		const { body } = await sandbox.api( 'GET', 'contacts/3', { token } );
		expect( body ).toMatchObject( {
			id: 3,
			email: 'alan.lovelace@example.test',
			custom_username: 'alanlovelace',
			wp_password: null,
		} );
		for ( const id of [ '999', 'abc', '0' ] ) {
			const missing = await sandbox.api( 'GET', `contacts/${ id }`, {
				token,
			} );
			expect( missing.status ).toBe( 404 );
			expect( missing.body ).toEqual( { error: 'Contact not found' } );
		}
	} );

	it( 'finds a contact by email, case-insensitively, and answers 404 otherwise', async () => {
		const found = await sandbox.api( 'POST', 'contact/find/', {
			token,
			form: 'email=ADA.Lovelace%40example.test',
		} );
		expect( found.body ).toMatchObject( { id: 1, first_name: 'Ada' } );
		const missing = await sandbox.api( 'POST', 'contact/find/', {
			token,
			form: 'email=nobody%40example.test',
		} );
		expect( missing.status ).toBe( 404 );
		expect( missing.body ).toEqual( { error: 'Contact not found' } );
	} );
} );

describe( 'strict request bodies', () => {
	it( 'refuses JSON bodies with 415', async () => {
		const answer = await sandbox.api( 'POST', 'contact/find/', {
			token,
			form: JSON.stringify( { email: 'ada.lovelace@example.test' } ),
			headers: { 'content-type': 'application/json' },
		} );
		expect( answer.status ).toBe( 415 );
	} );

	it( 'wants tag_id as an array, not a scalar', async () => {
		const answer = await sandbox.api( 'POST', 'contacts/2/tag-apply', {
			token,
			form: 'tag_id=2',
		} );
		expect( answer.status ).toBe( 422 );
		expect( answer.body.error ).toMatch( /array/ );
	} );

	it( 'rejects unknown fields and unknown tags with 422', async () => {
		expect(
			(
				await sandbox.api( 'PUT', 'contacts/2', {
					token,
					form: 'no_such_field=1',
				} )
			).status
		).toBe( 422 );
		expect(
			(
				await sandbox.api( 'POST', 'contacts/2/tag-apply', {
					token,
					form: 'tag_id[]=99',
				} )
			).status
		).toBe( 422 );
	} );

	it( 'refuses a page glued on with a second question mark', async () => {
		const answer = await sandbox.api( 'GET', 'tags?page=1?page=2', {
			token,
		} );
		expect( answer.status ).toBe( 422 );
	} );
} );

describe( 'write endpoints', () => {
	it( 'applies tags sent as tag_id[0]= and tag_id[]= and removes them with untag', async () => {
		const apply = await sandbox.api( 'POST', 'contacts/2/tag-apply', {
			token,
			form: 'tag_id%5B0%5D=2&tag_id[1]=3',
		} );
		expect( apply.body ).toEqual( { success: true } );
		await sandbox.api( 'POST', 'contacts/2/tag-apply', {
			token,
			form: 'tag_id[]=4',
		} );
		let tags = await sandbox.api( 'GET', 'contacts/2/tags', { token } );
		expect(
			tags.body.data.map( ( tag: { id: number } ) => tag.id )
		).toEqual( [ 2, 3, 4 ] );
		await sandbox.api( 'POST', 'contacts/2/untag', {
			token,
			form: 'tag_id[]=3',
		} );
		tags = await sandbox.api( 'GET', 'contacts/2/tags', { token } );
		expect(
			tags.body.data.map( ( tag: { id: number } ) => tag.id )
		).toEqual( [ 2, 4 ] );
	} );

	it( 'creates a contact and refuses a duplicate email', async () => {
		const created = await sandbox.api( 'POST', 'contacts', {
			token,
			form: 'email=new%40example.test&first_name=Neu&is_marketable=1',
		} );
		expect( created.status ).toBe( 201 );
		expect( created.body ).toMatchObject( {
			id: DEMO_CONTACT_COUNT + 1,
			email: 'new@example.test',
			first_name: 'Neu',
		} );
		const duplicate = await sandbox.api( 'POST', 'contacts', {
			token,
			form: 'email=new%40example.test',
		} );
		expect( duplicate.status ).toBe( 422 );
	} );

	it( 'updates raw field keys, dotted ones included', async () => {
		const answer = await sandbox.api( 'PUT', 'contacts/5', {
			token,
			form: 'wp_password=S3cret%21&address_1.country=IE',
		} );
		expect( answer.body ).toEqual( { success: true } );
		const raw = await sandbox.control( 'GET', 'contacts/5' );
		expect( raw.body ).toMatchObject( {
			wp_password: 'S3cret!',
			'address_1.country': 'IE',
		} );
	} );
} );

describe( 'pagination', () => {
	it( 'pages contacts by tag 15 at a time, by id and by name', async () => {
		const bulk = await sandbox.control( 'POST', 'contacts/bulk', {
			count: 40,
			prefix: 'paged',
			tag_ids: [ 3 ],
		} );
		expect( bulk.body.ids ).toHaveLength( 40 );
		const seen: number[] = [];
		for ( let page = 1; page <= 3; page++ ) {
			const { body } = await sandbox.api(
				'GET',
				`contacts/tagged/?tag_id=3&page=${ page }`,
				{ token }
			);
			expect( body.meta ).toMatchObject( {
				current_page: page,
				last_page: 3,
				total: 40,
			} );
			seen.push( ...body.data.map( ( row: { id: number } ) => row.id ) );
		}
		expect( seen ).toEqual( bulk.body.ids );
		const byName = await sandbox.api(
			'GET',
			'contacts/tagged/?tag_name=Unlock%20Course%20Two&page=3',
			{ token }
		);
		expect( byName.body.data ).toHaveLength( 10 );
	} );

	it( 'answers an empty page beyond the last one and an empty list for an unknown tag name', async () => {
		const beyond = await sandbox.api( 'GET', 'tags?page=5', { token } );
		expect( beyond.body ).toMatchObject( {
			data: [],
			meta: { current_page: 5, last_page: 1 },
		} );
		const unknown = await sandbox.api(
			'GET',
			'contacts/tagged/?tag_name=Nope',
			{ token }
		);
		expect( unknown.body.data ).toEqual( [] );
	} );

	it( 'pages a contact with many tags', async () => {
		const ids: number[] = [];
		for ( let n = 0; n < 20; n++ ) {
			ids.push(
				(
					await sandbox.control( 'POST', 'tags', {
						name: `Extra ${ n }`,
					} )
				).body.id
			);
		}
		await sandbox.api( 'POST', 'contacts/1/tag-apply', {
			token,
			form: ids.map( ( id ) => `tag_id[]=${ id }` ).join( '&' ),
		} );
		const second = await sandbox.api( 'GET', 'contacts/1/tags?page=2', {
			token,
		} );
		expect( second.body.meta ).toMatchObject( {
			current_page: 2,
			last_page: 2,
			total: 22,
		} );
	} );
} );
