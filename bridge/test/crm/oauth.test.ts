import { DEMO_CLIENT } from '../../../crm-sandbox/src';
import { NotConnectedError, UnauthorizedError } from '../../src/crm';
import {
	expectNoSecretsLogged,
	REDIRECT_URI,
	startContractSandbox,
	type ContractSandbox,
} from './helpers';

let env: ContractSandbox;

beforeAll( async () => {
	env = await startContractSandbox();
} );
afterAll( () => env.close() );
beforeEach( () => env.control( 'POST', 'reset' ) );

const TOKEN_ENDPOINT = 'POST /oauth/token';

async function refreshWith( refreshToken: string ): Promise< number > {
	const response = await fetch( `${ env.sandbox.url }/oauth/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams( {
			grant_type: 'refresh_token',
			refresh_token: refreshToken,
			client_id: DEMO_CLIENT.id,
			client_secret: DEMO_CLIENT.secret,
		} ),
	} );
	return response.status;
}

describe( 'connecting', () => {
	it( 'exchanges a code and stores the tokens with their expiry', async () => {
		const before = Date.now();
		const { client, store, events } = await env.connectedClient();
		expect( await client.isConnected() ).toBe( true );
		expect( store.saves ).toHaveLength( 1 );
		expect( await client.tokenExpiresAt() ).toBeGreaterThanOrEqual(
			before + 3600 * 1000
		);
		expect( events.map( ( entry ) => entry.event ) ).toContain(
			'crm.connected'
		);
		expectNoSecretsLogged( events, store );
	} );

	it( 'reports a refused code as UnauthorizedError and stores nothing', async () => {
		const { client, store } = env.newClient();
		await expect(
			client.exchangeCode( 'not-a-code', REDIRECT_URI )
		).rejects.toBeInstanceOf( UnauthorizedError );
		expect( store.saves ).toEqual( [] );
		expect( await client.isConnected() ).toBe( false );
	} );

	it( 'throws NotConnectedError without calling the CRM when there are no tokens', async () => {
		const { client } = env.newClient();
		await env.resetLog();
		await expect( client.getContact( 1 ) ).rejects.toBeInstanceOf(
			NotConnectedError
		);
		expect( await env.counters() ).toEqual( {} );
	} );
} );

describe( 'refreshing', () => {
	it( 'refreshes shortly before expiry and saves the rotated pair before using it', async () => {
		const { client, store, events } = await env.connectedClient( {
			refreshSkewMs: 60000,
		} );
		const first = store.load()!;
		store.save( { ...first, expiresAt: Date.now() + 30000 } );
		await env.resetLog();

		await client.getContact( 1 );
		const second = store.load()!;
		expect( second.refreshToken ).not.toBe( first.refreshToken );
		expect( second.expiresAt ).toBeGreaterThan( Date.now() + 3000 * 1000 );
		expect( await env.counters() ).toEqual( {
			[ TOKEN_ENDPOINT ]: 1,
			'GET /api/v1/contacts/:id': 1,
		} );
		// Rotation: the old refresh token is dead now.
		expect( await refreshWith( first.refreshToken ) ).toBe( 400 );
		expectNoSecretsLogged( events, store );
	} );

	it( 'survives a token expiring mid-run: one 401, one refresh, one retry', async () => {
		const { client, store } = await env.connectedClient();
		await client.getContact( 1 );
		await env.control( 'POST', 'tokens/expire' );
		await env.resetLog();

		expect( await client.getContact( 2 ) ).toMatchObject( { id: 2 } );
		expect( await env.counters() ).toEqual( {
			[ TOKEN_ENDPOINT ]: 1,
			'GET /api/v1/contacts/:id': 2,
		} );
		const { requests } = await env.control( 'GET', 'requests' );
		expect(
			requests.map( ( entry: { status: number } ) => entry.status )
		).toEqual( [ 401, 200, 200 ] );
		expect( store.saves ).toHaveLength( 2 );
	} );

	it( 'refreshes once when many requests find the token expired at the same moment', async () => {
		const { client, store } = await env.connectedClient( {
			concurrency: 8,
		} );
		store.save( { ...store.load()!, expiresAt: Date.now() - 1000 } );
		await env.resetLog();

		const contacts = await Promise.all(
			[ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 ].map( ( id ) =>
				client.getContact( id )
			)
		);
		expect( contacts.map( ( contact ) => contact.id ) ).toEqual( [
			1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
		] );
		expect( ( await env.counters() )[ TOKEN_ENDPOINT ] ).toBe( 1 );
	} );

	it( 'refreshes once when many requests get a 401 for the same token', async () => {
		const { client } = await env.connectedClient( { concurrency: 8 } );
		await env.control( 'POST', 'tokens/expire' );
		await env.resetLog();

		await Promise.all(
			[ 1, 2, 3, 4, 5, 6 ].map( ( id ) => client.getContactTags( id ) )
		);
		expect( ( await env.counters() )[ TOKEN_ENDPOINT ] ).toBe( 1 );
	} );

	it( 'disconnects when the CRM refuses the refresh token', async () => {
		const { client, store, events } = await env.connectedClient();
		await env.control( 'POST', 'tokens/revoke' );

		await expect( client.getContact( 1 ) ).rejects.toMatchObject( {
			name: 'NotConnectedError',
			code: 'not_connected',
		} );
		expect( await client.isConnected() ).toBe( false );
		expect( store.saves.at( -1 ) ).toBeNull();
		expect( events.map( ( entry ) => entry.event ) ).toContain(
			'crm.disconnected'
		);
	} );

	it( 'reports not connected when a fresh token is refused too', async () => {
		const { client } = await env.connectedClient();
		await env.control( 'POST', 'faults', {
			path_pattern: '/api/v1/tags',
			status: 401,
			times: 2,
		} );
		await env.resetLog();

		await expect( client.listTags() ).rejects.toMatchObject( {
			name: 'NotConnectedError',
			status: 401,
		} );
		expect( await env.counters() ).toEqual( {
			[ TOKEN_ENDPOINT ]: 1,
			'GET /api/v1/tags': 2,
		} );
	} );

	it( 'keeps the tokens when the token endpoint is down, and says so as a transient error', async () => {
		const { client, store } = await env.connectedClient( {
			maxRetries: 0,
		} );
		const tokens = store.load()!;
		store.save( { ...tokens, expiresAt: Date.now() - 1 } );
		await env.control( 'POST', 'faults', {
			path_pattern: '/oauth/token',
			status: 503,
			times: 1,
		} );

		await expect( client.getContact( 1 ) ).rejects.toMatchObject( {
			name: 'TransientError',
			status: 503,
			retryable: true,
		} );
		expect( store.load()?.refreshToken ).toBe( tokens.refreshToken );
		expect( await client.getContact( 1 ) ).toMatchObject( { id: 1 } );
	} );

	it( 'uses the old token while it lasts when the early refresh fails', async () => {
		const { client, store } = await env.connectedClient( {
			maxRetries: 0,
		} );
		const tokens = store.load()!;
		store.save( { ...tokens, expiresAt: Date.now() + 30000 } );
		await env.control( 'POST', 'faults', {
			path_pattern: '/oauth/token',
			status: 503,
			times: 1,
		} );
		await env.resetLog();

		expect( await client.getContact( 1 ) ).toMatchObject( { id: 1 } );
		expect( store.load()?.accessToken ).toBe( tokens.accessToken );
		expect( await env.counters() ).toEqual( {
			[ TOKEN_ENDPOINT ]: 1,
			'GET /api/v1/contacts/:id': 1,
		} );
	} );
} );
