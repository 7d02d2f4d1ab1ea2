import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe( 'faults', () => {
	it( 'answers 500 for the given number of times, then serves normally', async () => {
		await sandbox.control( 'POST', 'faults', {
			path_pattern: '/api/v1/contacts/*',
			status: 500,
			times: 2,
		} );
		expect(
			( await sandbox.api( 'GET', 'contacts/1', { token } ) ).status
		).toBe( 500 );
		expect(
			( await sandbox.api( 'GET', 'contacts/1/tags', { token } ) ).status
		).toBe( 500 );
		expect(
			( await sandbox.api( 'GET', 'contacts/1', { token } ) ).status
		).toBe( 200 );
	} );

	it( 'lets the first requests through with skip', async () => {
		await sandbox.control( 'POST', 'faults', {
			path_pattern: '/api/v1/contacts/1/tags',
			status: 503,
			skip: 1,
			times: 1,
		} );
		const statuses = [];
		for ( let n = 0; n < 3; n++ ) {
			statuses.push(
				( await sandbox.api( 'GET', 'contacts/1/tags', { token } ) )
					.status
			);
		}
		expect( statuses ).toEqual( [ 200, 503, 200 ] );
	} );

	it( 'answers 429 with Retry-After, only for the given method', async () => {
		await sandbox.control( 'POST', 'faults', {
			path_pattern: '/api/v1/tags',
			method: 'get',
			status: 429,
			retry_after: 7,
		} );
		const limited = await sandbox.api( 'GET', 'tags', { token } );
		expect( limited.status ).toBe( 429 );
		expect( limited.headers.get( 'retry-after' ) ).toBe( '7' );
		expect(
			( await sandbox.api( 'POST', 'tags', { token } ) ).status
		).not.toBe( 429 );
	} );

	it( 'drops the connection', async () => {
		await sandbox.control( 'POST', 'faults', {
			rules: [ { path_pattern: '/api/v1/tags', drop: true, times: 1 } ],
		} );
		await expect(
			sandbox.api( 'GET', 'tags', { token } )
		).rejects.toThrow();
		expect( ( await sandbox.api( 'GET', 'tags', { token } ) ).status ).toBe(
			200
		);
	} );

	it( 'delays a request and adds global latency to API calls', async () => {
		await sandbox.control( 'POST', 'faults', {
			path_pattern: '/api/v1/tags',
			delay_ms: 150,
			times: 1,
		} );
		let started = Date.now();
		expect( ( await sandbox.api( 'GET', 'tags', { token } ) ).status ).toBe(
			200
		);
		expect( Date.now() - started ).toBeGreaterThanOrEqual( 140 );

		await sandbox.control( 'POST', 'latency', { latency_ms: 100 } );
		started = Date.now();
		await sandbox.api( 'GET', 'contacts/1', { token } );
		expect( Date.now() - started ).toBeGreaterThanOrEqual( 90 );
		await sandbox.control( 'DELETE', 'faults' );
		expect( ( await sandbox.control( 'GET', 'faults' ) ).body ).toEqual( {
			faults: [],
			latency_ms: 0,
		} );
	} );

	it( 'rejects a fault that would do nothing', async () => {
		expect(
			(
				await sandbox.control( 'POST', 'faults', {
					path_pattern: '/api/v1/tags',
				} )
			).status
		).toBe( 400 );
		expect(
			(
				await sandbox.control( 'POST', 'faults', {
					path_pattern: 'tags',
					status: 500,
				} )
			).status
		).toBe( 400 );
	} );
} );

describe( 'request log and counters', () => {
	it( 'logs API requests with their endpoint, status and connection, and counts them', async () => {
		await sandbox.control( 'DELETE', 'requests' );
		await sandbox.api( 'GET', 'contacts/1', { token } );
		await sandbox.api( 'GET', 'contacts/2', { token } );
		await sandbox.api( 'GET', 'contacts/999', { token } );
		const { body } = await sandbox.control( 'GET', 'requests?since=0' );
		expect(
			body.requests.map( ( entry: { path: string; status: number } ) => [
				entry.path,
				entry.status,
			] )
		).toEqual( [
			[ '/api/v1/contacts/1', 200 ],
			[ '/api/v1/contacts/2', 200 ],
			[ '/api/v1/contacts/999', 404 ],
		] );
		const lastSeq = body.requests[ 2 ].seq;
		expect(
			( await sandbox.control( 'GET', `requests?since=${ lastSeq }` ) )
				.body.requests
		).toEqual( [] );
		expect(
			( await sandbox.control( 'GET', 'counters' ) ).body.counters
		).toEqual( { 'GET /api/v1/contacts/:id': 3 } );
	} );
} );

describe( 'reset, bulk data and state file', () => {
	it( 'reset brings back the demo data and keeps OAuth grants', async () => {
		await sandbox.api( 'PUT', 'contacts/1', {
			token,
			form: 'first_name=Changed',
		} );
		await sandbox.control( 'POST', 'reset' );
		expect(
			( await sandbox.api( 'GET', 'contacts/1', { token } ) ).body
				.first_name
		).toBe( 'Ada' );
		await sandbox.control( 'POST', 'reset', { seed: false } );
		expect(
			( await sandbox.api( 'GET', 'contacts/1', { token } ) ).status
		).toBe( 404 );
	} );

	it( 'keeps contacts, tokens and webhook rules in the state file across restarts', async () => {
		const dir = mkdtempSync( join( tmpdir(), 'crm-sandbox-' ) );
		const stateFile = join( dir, 'state.json' );
		try {
			const first = await startTestSandbox( { stateFile } );
			const tokens = await first.connect();
			await first.api( 'PUT', 'contacts/3', {
				token: tokens.access_token,
				form: 'wp_password=kept',
			} );
			await first.control( 'POST', 'webhooks', {
				trigger: 'contact_updated',
				url: 'http://127.0.0.1:9/x',
			} );
			await first.close();

			const second = await startTestSandbox( { stateFile } );
			try {
				expect(
					(
						await second.api( 'GET', 'contacts/3', {
							token: tokens.access_token,
						} )
					).body.wp_password
				).toBe( 'kept' );
				expect(
					( await second.control( 'GET', 'webhooks' ) ).body.rules
				).toHaveLength( 1 );
			} finally {
				await second.close();
			}
		} finally {
			rmSync( dir, { recursive: true, force: true } );
		}
	} );
} );
