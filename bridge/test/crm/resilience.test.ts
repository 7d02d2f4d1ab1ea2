import { createServer } from 'node:net';
import { DEMO_CLIENT } from '../../../crm-sandbox/src';
import {
	ContactNotFoundError,
	CrmClient,
	RateLimitedError,
	TransientError,
} from '../../src/crm';
import {
	REDIRECT_URI,
	startContractSandbox,
	type ContractSandbox,
} from './helpers';

let env: ContractSandbox;

beforeAll( async () => {
	env = await startContractSandbox();
} );
afterAll( () => env.close() );
beforeEach( async () => {
	await env.control( 'POST', 'reset' );
	await env.control( 'DELETE', 'faults' );
} );

const CONTACT = '/api/v1/contacts/*';

describe( 'transient failures', () => {
	it( 'retries a 5xx and then succeeds', async () => {
		const { client, events } = await env.connectedClient();
		await env.control( 'POST', 'faults', {
			path_pattern: CONTACT,
			status: 500,
			times: 2,
		} );
		await env.resetLog();

		expect( await client.getContact( 1 ) ).toMatchObject( { id: 1 } );
		expect( ( await env.counters() )[ 'GET /api/v1/contacts/:id' ] ).toBe(
			3
		);
		expect(
			events.filter( ( entry ) => entry.event === 'crm.retry' )
		).toHaveLength( 2 );
	} );

	it( 'gives up after maxRetries with a retryable TransientError carrying the status', async () => {
		const { client } = await env.connectedClient( { maxRetries: 2 } );
		await env.control( 'POST', 'faults', {
			path_pattern: CONTACT,
			status: 502,
		} );
		await env.resetLog();

		await expect( client.getContactTags( 1 ) ).rejects.toMatchObject( {
			name: 'TransientError',
			code: 'server_error',
			status: 502,
			retryable: true,
		} );
		expect(
			( await env.counters() )[ 'GET /api/v1/contacts/:id/tags' ]
		).toBe( 3 );
	} );

	it( 'honours Retry-After on a 429', async () => {
		const { client } = await env.connectedClient( { retryBaseDelayMs: 1 } );
		await env.control( 'POST', 'faults', {
			path_pattern: '/api/v1/tags',
			status: 429,
			retry_after: 1,
			times: 1,
		} );
		await env.resetLog();

		const started = Date.now();
		expect( await client.listTags() ).toHaveLength( 4 );
		expect( Date.now() - started ).toBeGreaterThanOrEqual( 950 );
		const { requests } = await env.control( 'GET', 'requests' );
		const [ limited, retried ] = requests.map(
			( entry: { time: string; status: number } ) => ( {
				at: Date.parse( entry.time ),
				status: entry.status,
			} )
		);
		expect( [ limited.status, retried.status ] ).toEqual( [ 429, 200 ] );
		expect( retried.at - limited.at ).toBeGreaterThanOrEqual( 950 );
	} );

	it( 'hands a Retry-After longer than it will wait back to the caller', async () => {
		const { client } = await env.connectedClient( {
			retryMaxDelayMs: 500,
		} );
		await env.control( 'POST', 'faults', {
			path_pattern: '/api/v1/tags',
			status: 429,
			retry_after: 120,
		} );

		const failure = await client
			.listTags()
			.catch( ( error: unknown ) => error );
		expect( failure ).toBeInstanceOf( RateLimitedError );
		expect( failure ).toMatchObject( {
			retryAfterMs: 120000,
			status: 429,
			retryable: true,
		} );
	} );

	it( 'times out a slow answer and retries it', async () => {
		const { client } = await env.connectedClient( { timeoutMs: 150 } );
		await env.control( 'POST', 'faults', {
			path_pattern: CONTACT,
			delay_ms: 400,
			times: 1,
		} );

		const started = Date.now();
		expect( await client.getContact( 4 ) ).toMatchObject( { id: 4 } );
		expect( Date.now() - started ).toBeGreaterThanOrEqual( 140 );
	} );

	it( 'reports a timeout as TransientError code timeout once retries are spent', async () => {
		const { client } = await env.connectedClient( {
			timeoutMs: 150,
			maxRetries: 0,
		} );
		await env.control( 'POST', 'faults', {
			path_pattern: CONTACT,
			delay_ms: 400,
			times: 1,
		} );

		await expect( client.getContact( 4 ) ).rejects.toMatchObject( {
			name: 'TransientError',
			code: 'timeout',
		} );
	} );

	it( 'reports a dropped connection as a transient connection failure', async () => {
		const { client } = await env.connectedClient( { maxRetries: 0 } );
		await env.control( 'POST', 'faults', {
			path_pattern: CONTACT,
			drop: true,
			times: 1,
		} );

		await expect( client.getContact( 1 ) ).rejects.toMatchObject( {
			name: 'TransientError',
			code: 'connection_failed',
		} );
	} );

	// The token request is the client's one non-idempotent call: a lost answer may have spent
	// the code (or rotated the refresh token), so only a refusal that surely did nothing repeats.
	const freshCode = async (): Promise< string > =>
		(
			await env.control( 'POST', 'oauth/code', {
				client_id: DEMO_CLIENT.id,
				redirect_uri: REDIRECT_URI,
			} )
		).code;

	it( 'does not repeat a code exchange after a 5xx, which may have spent the code', async () => {
		const { client } = env.newClient();
		const code = await freshCode();
		await env.control( 'POST', 'faults', {
			path_pattern: '/oauth/token',
			method: 'POST',
			status: 500,
			times: 1,
		} );
		await env.resetLog();

		await expect(
			client.exchangeCode( code, REDIRECT_URI )
		).rejects.toBeInstanceOf( TransientError );
		expect( ( await env.counters() )[ 'POST /oauth/token' ] ).toBe( 1 );
	} );

	it( 'does repeat a code exchange refused with 429', async () => {
		const { client } = env.newClient();
		const code = await freshCode();
		await env.control( 'POST', 'faults', {
			path_pattern: '/oauth/token',
			method: 'POST',
			status: 429,
			times: 1,
		} );

		await client.exchangeCode( code, REDIRECT_URI );
		expect( await client.isConnected() ).toBe( true );
	} );
} );

describe( 'not found is an answer, an outage is not', () => {
	async function closedPortUrl(): Promise< string > {
		const server = createServer();
		await new Promise< void >( ( resolve ) =>
			server.listen( 0, '127.0.0.1', resolve )
		);
		const { port } = server.address() as { port: number };
		await new Promise( ( resolve ) => server.close( resolve ) );
		return `http://127.0.0.1:${ port }`;
	}

	it( 'tells a missing contact from a CRM that cannot be reached', async () => {
		const { client, store } = await env.connectedClient();
		await expect( client.getContactTags( 999 ) ).rejects.toBeInstanceOf(
			ContactNotFoundError
		);

		const unreachable = await closedPortUrl();
		const offline = new CrmClient(
			{
				accountUrl: unreachable,
				portalUrl: unreachable,
				clientId: DEMO_CLIENT.id,
				clientSecret: DEMO_CLIENT.secret,
				maxRetries: 1,
				retryBaseDelayMs: 5,
			},
			store
		);
		const failure = await offline
			.getContactTags( 1 )
			.catch( ( error: unknown ) => error );
		expect( failure ).toBeInstanceOf( TransientError );
		expect( failure ).toMatchObject( {
			code: 'connection_refused',
			retryable: true,
		} );
		expect( failure ).not.toBeInstanceOf( ContactNotFoundError );
	} );

	it( 'never turns a failed page into a shorter tag list', async () => {
		const { client } = await env.connectedClient( { maxRetries: 0 } );
		for ( let n = 0; n < 20; n++ ) {
			await env.control( 'POST', 'tags', { name: `Many ${ n }` } );
		}
		const contacts = env.sandbox.state.contacts;
		contacts.applyTags(
			contacts.get( 1 )!,
			Array.from( { length: 20 }, ( _, n ) => n + 5 )
		);
		await env.control( 'POST', 'faults', {
			path_pattern: '/api/v1/contacts/1/tags',
			method: 'GET',
			status: 503,
			skip: 1,
		} );
		await env.resetLog();

		await expect( client.getContactTags( 1 ) ).rejects.toBeInstanceOf(
			TransientError
		);
		const { requests } = await env.control( 'GET', 'requests' );
		expect(
			requests.map( ( entry: { status: number } ) => entry.status )
		).toEqual( [ 200, 503 ] );
	} );
} );

describe( 'the shared pacer', () => {
	it( 'spaces request starts by the configured ceiling across all callers', async () => {
		const { client } = await env.connectedClient( {
			maxRequestsPerSecond: 20,
		} );
		const started = Date.now();
		await Promise.all(
			[ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 ].map( ( id ) =>
				client.getContact( id )
			)
		);
		// Ten starts at 20 per second: the tenth starts 450 ms after the first.
		expect( Date.now() - started ).toBeGreaterThanOrEqual( 440 );
	} );

	it( 'keeps at most `concurrency` requests in flight', async () => {
		const { client } = await env.connectedClient( { concurrency: 2 } );
		await env.control( 'POST', 'latency', { latency_ms: 100 } );
		await env.resetLog();
		await Promise.all(
			[ 1, 2, 3, 4, 5, 6 ].map( ( id ) => client.getContact( id ) )
		);
		await env.control( 'POST', 'latency', { latency_ms: 0 } );
		const { requests } = await env.control( 'GET', 'requests' );
		const spans = requests.map(
			( entry: { time: string; duration_ms: number } ) => ( {
				start: Date.parse( entry.time ),
				end: Date.parse( entry.time ) + entry.duration_ms,
			} )
		);
		// 5 ms of slack: the log has millisecond times, and a follower may start as its leader closes.
		const overlapping = spans.map(
			( span: { start: number } ) =>
				spans.filter(
					( other: { start: number; end: number } ) =>
						other.start <= span.start && span.start < other.end - 5
				).length
		);
		expect( Math.max( ...overlapping ) ).toBe( 2 );
	} );
} );
