import { ContactNotFoundError, type CrmClient } from '../../src/crm';
import {
	expectNoSecretsLogged,
	startContractSandbox,
	type ContractSandbox,
	type LoggedEvent,
	type MemoryTokenStore,
} from './helpers';

let env: ContractSandbox;
let client: CrmClient;
let store: MemoryTokenStore;
let events: LoggedEvent[];

/**
 * Tags a contact in the sandbox itself (the bridge only reads tags).
 * @param id     Contact id.
 * @param tagIds Tags to apply.
 */
function tagContact( id: number, tagIds: number[] ): void {
	const contacts = env.sandbox.state.contacts;
	contacts.applyTags( contacts.get( id )!, tagIds );
}

beforeAll( async () => {
	env = await startContractSandbox();
	( { client, store, events } = await env.connectedClient() );
} );
afterAll( async () => {
	expectNoSecretsLogged( events, store );
	await env.close();
} );
beforeEach( () => env.control( 'POST', 'reset' ) );

describe( 'CrmClient against the sandbox: every endpoint', () => {
	it( 'lists the tags', async () => {
		expect( await client.listTags() ).toEqual( [
			{ id: 1, name: 'Website Access' },
			{ id: 2, name: 'Import to WordPress' },
			{ id: 3, name: 'Unlock Course Two' },
			{ id: 4, name: 'VIP' },
		] );
	} );

	it( 'lists tags over more than two pages', async () => {
		for ( let n = 0; n < 30; n++ ) {
			await env.control( 'POST', 'tags', { name: `Course ${ n }` } );
		}
		const tags = await client.listTags();
		expect( tags ).toHaveLength( 34 );
		expect( tags[ 33 ] ).toEqual( { id: 34, name: 'Course 29' } );
	} );

	it( 'lists the available fields, deriving labels the CRM leaves out', async () => {
		const fields = await client.availableFields();
		expect( fields ).toContainEqual( {
			key: 'first_name',
			label: 'First Name',
		} );
		expect( fields ).toContainEqual( {
			key: 'custom_password',
			label: 'Custom Password',
		} );
		expect( fields ).toContainEqual( {
			key: 'address_1.city',
			label: 'Address 1 City',
		} );
		expect( fields ).toContainEqual( {
			key: 'address_1.country',
			label: 'Country',
		} );
	} );

	it( 'loads a contact as a flat object, custom fields included', async () => {
		expect( await client.getContact( 3 ) ).toMatchObject( {
			id: 3,
			email: 'alan.lovelace@example.test',
			custom_username: 'alanlovelace',
			'address_1.country': 'DE',
		} );
	} );

	it( 'throws ContactNotFoundError (404) for an unknown contact, for loads, tags and writes', async () => {
		await expect( client.getContact( 999 ) ).rejects.toMatchObject( {
			name: 'ContactNotFoundError',
			status: 404,
			contactId: 999,
			retryable: false,
		} );
		await expect( client.getContactTags( 999 ) ).rejects.toBeInstanceOf(
			ContactNotFoundError
		);
		await expect(
			client.updateContact( 999, { phone: '1' } )
		).rejects.toBeInstanceOf( ContactNotFoundError );
	} );

	it( "loads a contact's tags over more than two pages", async () => {
		const ids: number[] = [];
		for ( let n = 0; n < 33; n++ ) {
			ids.push(
				(
					await env.control( 'POST', 'tags', {
						name: `Extra ${ n }`,
					} )
				).id
			);
		}
		tagContact( 2, ids );
		await env.resetLog();
		const tags = await client.getContactTags( 2 );
		expect( tags.map( ( tag ) => tag.id ) ).toEqual( ids );
		const { requests } = await env.control( 'GET', 'requests' );
		expect(
			requests.map( ( entry: { path: string } ) => entry.path )
		).toEqual( [
			'/api/v1/contacts/2/tags',
			'/api/v1/contacts/2/tags',
			'/api/v1/contacts/2/tags',
		] );
	} );

	it( "updates a contact's fields (the Return Password write)", async () => {
		const {
			ids: [ id ],
		} = await env.control( 'POST', 'contacts/bulk', { count: 1 } );
		const created = { id: id as number };
		await client.updateContact( created.id, {
			wp_password: 'Generated-Pass-123',
			'address_1.country': 'IE',
		} );
		expect(
			await env.control( 'GET', `contacts/${ created.id }` )
		).toMatchObject( {
			wp_password: 'Generated-Pass-123',
			'address_1.country': 'IE',
		} );
	} );

	it( 'rejects an unknown field with a PermanentError carrying the CRM message', async () => {
		await expect(
			client.updateContact( 2, { no_such_field: 'x' } )
		).rejects.toMatchObject( {
			name: 'PermanentError',
			status: 422,
			retryable: false,
			crmMessage: 'Unknown contact field: no_such_field',
		} );
	} );

	it( 'lists contacts by tag id and by tag name over three pages, with & before page', async () => {
		const { ids } = await env.control( 'POST', 'contacts/bulk', {
			count: 40,
			prefix: 'tagged',
			tag_ids: [ 3 ],
		} );
		await env.resetLog();
		expect( await client.contactsByTag( { tagId: 3 } ) ).toEqual( ids );
		expect(
			await client.contactsByTag( { tagName: 'Unlock Course Two' } )
		).toEqual( ids );
		expect(
			await client.contactsByTag( { tagName: 'No Such Tag' } )
		).toEqual( [] );
		expect(
			( await env.counters() )[ 'GET /api/v1/contacts/tagged' ]
		).toBe( 7 );
	} );

	it( 'keeps connections alive between requests', async () => {
		await env.resetLog();
		for ( let id = 1; id <= 6; id++ ) {
			await client.getContact( id );
		}
		const { requests } = await env.control( 'GET', 'requests' );
		// Without keep-alive every request would come on a socket of its own.
		const sockets = new Set(
			requests.map(
				( entry: { connection: number } ) => entry.connection
			)
		);
		expect( requests ).toHaveLength( 6 );
		expect( sockets.size ).toBeLessThan( 3 );
	} );

	it( 'builds an authorize URL the portal accepts', async () => {
		const url = new URL(
			client.authorizeUrl( 'http://127.0.0.1:9/cb', 'xyz' )
		);
		expect( url.pathname ).toBe( '/oauth/authorize' );
		expect( Object.fromEntries( url.searchParams ) ).toEqual( {
			client_id: 'pulse-sync-demo',
			redirect_uri: 'http://127.0.0.1:9/cb',
			response_type: 'code',
			scope: '',
			state: 'xyz',
		} );
		expect( ( await fetch( url ) ).status ).toBe( 200 );
	} );
} );
