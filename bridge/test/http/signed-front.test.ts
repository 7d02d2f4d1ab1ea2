/**
 * The bridge's HTTP front against the attacks of issue 11 (items 1 and 7): the real server with
 * the real Signer, and routes that only record that they ran.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	createHttpServer,
	HEADERS_TIMEOUT_MS,
	MAX_CONNECTIONS,
	REQUEST_TIMEOUT_MS,
} from '../../src/http/server';
import type { Route } from '../../src/http/route';
import { Signer, type SignedHeaders } from '../../src/signature';
import { bridgeCaller } from '../support/signed-fetch';

const SECRET = `whsec_${ Buffer.alloc( 32, 11 ).toString( 'base64' ) }`;

describe( 'signed HTTP front', () => {
	let server: http.Server;
	let url: string;
	const ran: string[] = [];
	const plugin = new Signer( [ SECRET ], 'plugin' );
	const route = ( method: 'GET' | 'POST', path: string ): Route => ( {
		method,
		path,
		signed: true,
		handle: async ( { query } ) => {
			ran.push( `${ method } ${ path } ${ query.toString() }` );
			return { status: 200, body: { ok: true } };
		},
	} );

	beforeAll( async () => {
		server = createHttpServer( {
			routes: [
				route( 'GET', '/v1/status' ),
				route( 'GET', '/v1/deliveries' ),
				route( 'POST', '/v1/crm/disconnect' ),
				route( 'POST', '/v1/deliveries/:id/replay' ),
			],
			signer: new Signer( [ SECRET ], 'bridge' ),
			settings: { noteRev: () => {} },
			logger: { log: () => {} },
			shutdown: new AbortController().signal,
		} );
		await new Promise< void >( ( resolve ) =>
			server.listen( 0, '127.0.0.1', resolve )
		);
		url = `http://127.0.0.1:${ ( server.address() as AddressInfo ).port }`;
	} );

	beforeEach( () => {
		ran.length = 0;
	} );

	afterAll( async () => {
		server.closeAllConnections();
		await new Promise( ( resolve ) => server.close( resolve ) );
	} );

	const send = async (
		method: 'GET' | 'POST',
		pathAndQuery: string,
		headers: SignedHeaders,
		body?: string
	) => {
		const response = await fetch( `${ url }${ pathAndQuery }`, {
			method,
			headers: { ...headers, 'content-type': 'application/json' },
			...( body !== undefined && { body } ),
		} );
		return {
			status: response.status,
			json: ( await response.json() ) as { error?: string },
		};
	};
	const signed = ( method: string, path: string, query = '', body = '' ) =>
		plugin.sign( {
			method,
			path,
			query: new URLSearchParams( query ),
			body,
		} );

	it( 'replay of a signed GET /v1/status to another route is refused', async () => {
		const headers = signed( 'GET', '/v1/status' );
		const replayed = await send( 'GET', '/v1/deliveries', headers );
		expect( replayed.status ).toBe( 401 );
		expect( replayed.json.error ).toBe( 'invalid_signature' );
		expect( ran ).toEqual( [] );
		// The genuine request still passes: the refused copy was not remembered.
		expect( ( await send( 'GET', '/v1/status', headers ) ).status ).toBe(
			200
		);
	} );

	it( 'a signed request sent twice is refused the second time', async () => {
		const headers = signed( 'GET', '/v1/status' );
		expect( ( await send( 'GET', '/v1/status', headers ) ).status ).toBe(
			200
		);
		const again = await send( 'GET', '/v1/status', headers );
		expect( again.status ).toBe( 401 );
		expect( ran ).toHaveLength( 1 );
	} );

	it( 'a signed POST {} for disconnect is refused by /v1/deliveries/{id}/replay', async () => {
		const headers = signed( 'POST', '/v1/crm/disconnect', '', '{}' );
		expect(
			(
				await send(
					'POST',
					'/v1/deliveries/msg_1/replay',
					headers,
					'{}'
				)
			).status
		).toBe( 401 );
		expect( ran ).toEqual( [] );
	} );

	it( 'a changed or added query parameter is refused (GET /v1/deliveries?email=…)', async () => {
		const headers = signed(
			'GET',
			'/v1/deliveries',
			'email=a%40example.com'
		);
		for ( const query of [
			'?email=b%40example.com',
			'?email=a%40example.com&per_page=100',
			'',
		] ) {
			expect(
				( await send( 'GET', `/v1/deliveries${ query }`, headers ) )
					.status
			).toBe( 401 );
		}
		expect( ran ).toEqual( [] );
		const call = bridgeCaller( url, SECRET );
		expect(
			( await call( 'GET', '/v1/deliveries?email=a%40example.com' ) )
				.status
		).toBe( 200 );
		expect( ran ).toEqual( [ 'GET /v1/deliveries email=a%40example.com' ] );
	} );

	it( 'a request signed by the bridge for the plugin is refused by the bridge', async () => {
		const headers = new Signer( [ SECRET ], 'bridge' ).sign( {
			method: 'GET',
			path: '/v1/status',
			query: new URLSearchParams(),
			body: '',
		} );
		expect( ( await send( 'GET', '/v1/status', headers ) ).status ).toBe(
			401
		);
	} );

	it( 'an unsigned request is refused before its body is read (401 while the body is still coming)', async () => {
		const answer = await new Promise< number >( ( resolve, reject ) => {
			const request = http.request( `${ url }/v1/crm/disconnect`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'content-length': String( 60 * 1024 ),
				},
			} );
			request.on( 'response', ( response ) => {
				response.resume();
				resolve( response.statusCode as number );
			} );
			request.on( 'error', reject );
			// Part of the declared body only: the answer cannot wait for the rest.
			request.write( 'x'.repeat( 1024 ) );
		} );
		expect( answer ).toBe( 401 );
	} );

	it( 'a body declared larger than the limit is refused without reading it', async () => {
		const headers = signed( 'POST', '/v1/crm/disconnect', '', '{}' );
		const answer = await new Promise< number >( ( resolve, reject ) => {
			const request = http.request( `${ url }/v1/crm/disconnect`, {
				method: 'POST',
				headers: {
					...headers,
					'content-length': String( 10 * 1024 * 1024 ),
				},
			} );
			request.on( 'response', ( response ) => {
				response.resume();
				resolve( response.statusCode as number );
			} );
			request.on( 'error', reject );
			request.write( '{}' );
		} );
		expect( answer ).toBe( 413 );
	} );

	it( 'bounds how long headers and requests may take and how many connections are open', () => {
		expect( server.headersTimeout ).toBe( HEADERS_TIMEOUT_MS );
		expect( server.requestTimeout ).toBe( REQUEST_TIMEOUT_MS );
		expect( server.maxConnections ).toBe( MAX_CONNECTIONS );
		expect( HEADERS_TIMEOUT_MS ).toBeLessThan( 60_000 );
		expect( REQUEST_TIMEOUT_MS ).toBeLessThan( 300_000 );
	} );
} );
