import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Signer } from '../../src/signature';
import {
	WordPressClient,
	WordPressError,
	type UserWrite,
} from '../../src/wordpress/client';

const SECRET = `whsec_${ Buffer.alloc( 32, 6 ).toString( 'base64' ) }`;
const WRITE: UserWrite = {
	delivery_id: 'msg_1',
	action: 'add',
	contact_id: 7,
	email: 'a@example.com',
	user: {},
	meta: {},
	role: null,
	tags: [],
	send_notification: false,
	generated_password: null,
};

describe( 'WordPressClient', () => {
	let server: http.Server;
	let client: WordPressClient;
	let answer: { status: number; body: string };
	let seen: { url: string; verified: string; body: string }[];

	beforeAll( async () => {
		const signer = new Signer( SECRET );
		server = http.createServer( async ( request, response ) => {
			let body = '';
			for await ( const chunk of request ) {
				body += chunk;
			}
			seen.push( {
				url: request.url as string,
				verified: signer.verify( body, request.headers ),
				body,
			} );
			response
				.writeHead( answer.status, {
					'content-type': 'application/json',
				} )
				.end( answer.body );
		} );
		await new Promise< void >( ( resolve ) =>
			server.listen( 0, '127.0.0.1', resolve )
		);
		client = new WordPressClient(
			`http://127.0.0.1:${ ( server.address() as AddressInfo ).port }`,
			signer,
			2
		);
	} );
	afterAll( () => new Promise( ( resolve ) => server.close( resolve ) ) );
	beforeEach( () => {
		seen = [];
	} );

	async function failureOf(
		work: Promise< unknown >
	): Promise< WordPressError > {
		const error = await work.catch( ( thrown: unknown ) => thrown );
		expect( error ).toBeInstanceOf( WordPressError );
		return error as WordPressError;
	}

	it( 'signs the user write and reads the answer', async () => {
		answer = {
			status: 200,
			body: JSON.stringify( {
				status: 'created',
				user_id: 5,
				password_used: true,
			} ),
		};
		expect( await client.writeUser( WRITE ) ).toEqual( {
			status: 'created',
			user_id: 5,
			password_used: true,
		} );
		expect( seen[ 0 ] ).toMatchObject( {
			url: '/wp-json/pulse-sync/v1/bridge/users',
			body: JSON.stringify( WRITE ),
		} );
	} );

	it( 'signs the settings GET with an empty body', async () => {
		answer = { status: 200, body: '{"rev":1}' };
		expect( await client.fetchSettings() ).toEqual( { rev: 1 } );
		expect( seen[ 0 ] ).toMatchObject( {
			url: '/wp-json/pulse-sync/v1/bridge/settings',
			body: '',
		} );
	} );

	it.each( [
		[
			422,
			'{"code":"pulse_sync_invalid_email","message":"x","data":{"status":422}}',
			'invalid_email',
			false,
		],
		[
			400,
			'{"code":"pulse_sync_invalid_payload"}',
			'wordpress_rejected',
			false,
		],
		[
			401,
			'{"code":"pulse_sync_bad_signature"}',
			'wordpress_rejected_signature',
			true,
		],
		[ 503, '{"code":"pulse_sync_busy"}', 'wordpress_unavailable', true ],
		[ 200, '<b>Fatal error</b>', 'wordpress_bad_answer', true ],
		[
			200,
			'{"status":"maybe","password_used":false}',
			'wordpress_bad_answer',
			true,
		],
	] )(
		'HTTP %i %s → %s (retryable: %s)',
		async ( status, body, code, retryable ) => {
			answer = { status, body };
			const error = await failureOf( client.writeUser( WRITE ) );
			expect( { code: error.code, retryable: error.retryable } ).toEqual(
				{ code, retryable }
			);
		}
	);

	it( 'reports an unreachable site as retryable', async () => {
		const offline = new WordPressClient(
			'http://127.0.0.1:9',
			new Signer( SECRET ),
			1
		);
		const error = await failureOf( offline.fetchSettings() );
		expect( error ).toMatchObject( {
			code: 'wordpress_unreachable',
			retryable: true,
		} );
	} );
} );
