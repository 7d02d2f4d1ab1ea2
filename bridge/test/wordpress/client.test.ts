import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Signer } from '../../src/signature';
import {
	WordPressClient,
	WordPressError,
	type UserWrite,
	type UserWriteAnswer,
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
const INVALID_EMAIL = {
	error: {
		code: 'pulse_sync_invalid_email',
		message: 'The contact has no valid email address.',
		status: 422,
	},
};

function write( contactId: number, email = `c${ contactId }@example.com` ) {
	return {
		...WRITE,
		delivery_id: `msg_${ contactId }`,
		contact_id: contactId,
		email,
	};
}

/** What the plugin answers for one write: created, user id derived from the contact, or 422. */
function plugin( item: UserWrite ): UserWriteAnswer | typeof INVALID_EMAIL {
	return item.email?.includes( '@' )
		? {
				status: 'created',
				user_id: item.contact_id * 10,
				password_used: false,
			}
		: INVALID_EMAIL;
}

async function failureOf(
	work: Promise< unknown >
): Promise< WordPressError > {
	const error = await work.catch( ( thrown: unknown ) => thrown );
	expect( error ).toBeInstanceOf( WordPressError );
	return error as WordPressError;
}

async function until( condition: () => boolean ): Promise< void > {
	for ( let i = 0; ! condition(); i++ ) {
		if ( i > 500 ) {
			throw new Error( 'condition not met within 5 s' );
		}
		await new Promise( ( resolve ) => setTimeout( resolve, 10 ) );
	}
}

describe( 'WordPressClient', () => {
	const signer = new Signer( [ SECRET ], 'bridge' );
	const site = new Signer( [ SECRET ], 'plugin' );
	let server: http.Server;
	let siteUrl: string;
	/** The answer to the next requests: status and raw body, from the writes received. */
	let answer: ( writes: UserWrite[] ) => { status: number; body: string };
	let seen: { url: string; verified: boolean; body: string }[];
	/** While set, requests wait for it before they are answered. */
	let hold: Promise< void > | null;

	const batchesSeen = () =>
		seen
			.filter( ( request ) => request.url.endsWith( '/users' ) )
			.map(
				( request ) =>
					( JSON.parse( request.body ) as { writes: UserWrite[] } )
						.writes
			);
	const client = ( concurrency = 2, maxBatch = 25 ) =>
		new WordPressClient( siteUrl, signer, concurrency, maxBatch );

	/** Holds every request until the returned function is called. */
	function holdRequests(): () => void {
		let release = () => {};
		hold = new Promise( ( resolve ) => {
			release = () => {
				hold = null;
				resolve();
			};
		} );
		return release;
	}

	beforeAll( async () => {
		server = http.createServer( async ( request, response ) => {
			let body = '';
			for await ( const chunk of request ) {
				body += chunk;
			}
			let verified = true;
			try {
				const url = new URL( request.url as string, siteUrl );
				site.verify(
					{
						method: request.method as string,
						path: url.pathname.replace( /^\/wp-json/, '' ),
						query: url.searchParams,
						body,
					},
					request.headers
				);
			} catch {
				verified = false;
			}
			seen.push( { url: request.url as string, verified, body } );
			await hold;
			const { status, body: reply } = answer(
				body === ''
					? []
					: ( JSON.parse( body ) as { writes: UserWrite[] } ).writes
			);
			response
				.writeHead( status, { 'content-type': 'application/json' } )
				.end( reply );
		} );
		await new Promise< void >( ( resolve ) =>
			server.listen( 0, '127.0.0.1', resolve )
		);
		siteUrl = `http://127.0.0.1:${ ( server.address() as AddressInfo ).port }`;
	} );
	afterAll( () => new Promise( ( resolve ) => server.close( resolve ) ) );
	beforeEach( () => {
		seen = [];
		hold = null;
		answer = ( writes ) => ( {
			status: 200,
			body: JSON.stringify( { results: writes.map( plugin ) } ),
		} );
	} );

	it( 'signs the user write, sent as a batch of one, and reads its answer', async () => {
		answer = () => ( {
			status: 200,
			body: JSON.stringify( {
				results: [
					{ status: 'created', user_id: 5, password_used: true },
				],
			} ),
		} );
		expect( await client().writeUser( WRITE ) ).toEqual( {
			status: 'created',
			user_id: 5,
			password_used: true,
		} );
		expect( seen[ 0 ] ).toEqual( {
			url: '/wp-json/pulse-sync/v1/bridge/users',
			verified: true,
			body: JSON.stringify( { writes: [ WRITE ] } ),
		} );
	} );

	it( 'signs the settings GET with an empty body', async () => {
		answer = () => ( { status: 200, body: '{"rev":1}' } );
		expect( await client().fetchSettings() ).toEqual( { rev: 1 } );
		expect( seen[ 0 ] ).toEqual( {
			url: '/wp-json/pulse-sync/v1/bridge/settings',
			verified: true,
			body: '',
		} );
	} );

	it.each( [
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
		[
			400,
			'{"code":"pulse_sync_batch_too_large"}',
			'wordpress_batch_too_large',
			true,
		],
		[ 200, '<b>Fatal error</b>', 'wordpress_bad_answer', true ],
		[
			200,
			'{"status":"created","user_id":1,"password_used":false}',
			'wordpress_bad_answer',
			true,
		],
		[ 200, '{"results":[]}', 'wordpress_bad_answer', true ],
		[
			200,
			'{"results":[{"status":"maybe","password_used":false}]}',
			'wordpress_bad_answer',
			true,
		],
	] )(
		'request answered HTTP %i %s → %s (retryable: %s)',
		async ( status, body, code, retryable ) => {
			answer = () => ( { status, body } );
			const error = await failureOf( client().writeUser( WRITE ) );
			expect( { code: error.code, retryable: error.retryable } ).toEqual(
				{ code, retryable }
			);
		}
	);

	it.each( [
		[ 422, 'pulse_sync_invalid_email', 'invalid_email', false ],
		[ 422, 'pulse_sync_cannot_create_user', 'wordpress_rejected', false ],
		[
			422,
			'pulse_sync_user_linked_to_other_contact',
			'user_linked_to_other_contact',
			false,
		],
		[ 422, 'pulse_sync_email_link_disabled', 'email_link_disabled', false ],
		[ 400, 'pulse_sync_invalid_payload', 'wordpress_rejected', false ],
		[ 503, 'pulse_sync_busy', 'wordpress_unavailable', true ],
		[ 500, 'pulse_sync_write_failed', 'wordpress_unavailable', true ],
	] )(
		'item answered %i %s → %s (retryable: %s), as the same answer to a single write was',
		async ( status, pluginCode, code, retryable ) => {
			answer = () => ( {
				status: 200,
				body: JSON.stringify( {
					results: [
						{ error: { code: pluginCode, message: 'x', status } },
					],
				} ),
			} );
			const error = await failureOf( client().writeUser( WRITE ) );
			expect( error ).toMatchObject( { code, retryable, status } );
		}
	);

	it( 'keeps the plugin’s message of a link refusal, so the delivery log says which contact holds the user', async () => {
		const message =
			'A WordPress user with the email address of contact 8 is already linked to contact 7; a webhook never moves a link.';
		answer = () => ( {
			status: 200,
			body: JSON.stringify( {
				results: [
					{
						error: {
							code: 'pulse_sync_user_linked_to_other_contact',
							message,
							status: 422,
						},
					},
				],
			} ),
		} );
		const error = await failureOf( client().writeUser( WRITE ) );
		expect( error ).toMatchObject( {
			code: 'user_linked_to_other_contact',
			message,
			retryable: false,
			status: 422,
		} );
	} );

	it( 'reports an unreachable site as retryable', async () => {
		const offline = new WordPressClient(
			'http://127.0.0.1:9',
			new Signer( [ SECRET ], 'bridge' ),
			1,
			25
		);
		const error = await failureOf( offline.fetchSettings() );
		expect( error ).toMatchObject( {
			code: 'wordpress_unreachable',
			retryable: true,
		} );
	} );

	describe( 'batching', () => {
		it( 'sends one write per request under light load', async () => {
			const wordpress = client();
			for ( const contactId of [ 1, 2, 3 ] ) {
				await wordpress.writeUser( write( contactId ) );
			}
			// As many at once as there are slots: each still leaves at once, alone.
			await Promise.all( [
				wordpress.writeUser( write( 4 ) ),
				wordpress.writeUser( write( 5 ) ),
			] );
			expect(
				batchesSeen().map( ( batch ) =>
					batch.map( ( item ) => item.contact_id )
				)
			).toEqual( [ [ 1 ], [ 2 ], [ 3 ], [ 4 ], [ 5 ] ] );
		} );

		it( 'sends the writes that waited for a busy slot in one signed request, each caller getting its own answer', async () => {
			// The write concurrency starts at one request (write-concurrency.ts).
			const wordpress = client( 2 );
			const release = holdRequests();
			const first = wordpress.writeUser( write( 1 ) );
			await until( () => seen.length === 1 );
			const waiting = [ 2, 3, 4, 5, 6, 7 ].map( ( id ) =>
				wordpress.writeUser( write( id ) )
			);
			release();

			const answers = await Promise.all( [ first, ...waiting ] );
			expect( answers.map( ( one ) => one.user_id ) ).toEqual( [
				10, 20, 30, 40, 50, 60, 70,
			] );
			expect(
				batchesSeen().map( ( batch ) =>
					batch.map( ( item ) => item.contact_id )
				)
			).toEqual( [ [ 1 ], [ 2, 3, 4, 5, 6, 7 ] ] );
			expect( seen.every( ( request ) => request.verified ) ).toBe(
				true
			);
		} );

		it( 'rejects only the write WordPress refused; the others of its batch resolve', async () => {
			const wordpress = client( 1 );
			const release = holdRequests();
			const first = wordpress.writeUser( write( 1 ) );
			await until( () => seen.length === 1 );
			const batch = [
				wordpress.writeUser( write( 2 ) ),
				wordpress.writeUser( write( 3, 'no-email' ) ),
				wordpress.writeUser( write( 4 ) ),
			];
			release();

			const settled = await Promise.allSettled( [ first, ...batch ] );
			expect( batchesSeen().map( ( sent ) => sent.length ) ).toEqual( [
				1, 3,
			] );
			expect(
				settled.map( ( outcome ) =>
					outcome.status === 'fulfilled'
						? outcome.value.user_id
						: ( outcome.reason as WordPressError ).code
				)
			).toEqual( [ 10, 20, 'invalid_email', 40 ] );
			expect( ( settled[ 2 ] as PromiseRejectedResult ).reason ).toEqual(
				expect.objectContaining( { retryable: false, status: 422 } )
			);
		} );

		it( 'rejects every write of a failed request with the same retryable error, and only those', async () => {
			const wordpress = client( 1 );
			const release = holdRequests();
			const first = wordpress.writeUser( write( 1 ) );
			await until( () => seen.length === 1 );
			answer = ( writes ) =>
				writes.length > 1
					? { status: 503, body: '{"code":"pulse_sync_busy"}' }
					: {
							status: 200,
							body: JSON.stringify( {
								results: writes.map( plugin ),
							} ),
						};
			const batch = [ 2, 3, 4 ].map( ( id ) =>
				wordpress.writeUser( write( id ) )
			);
			release();

			expect( ( await first ).user_id ).toBe( 10 );
			const errors = await Promise.all( batch.map( failureOf ) );
			expect( errors[ 0 ] ).toMatchObject( {
				code: 'wordpress_unavailable',
				retryable: true,
				status: 503,
			} );
			expect( new Set( errors ).size ).toBe( 1 );
			// The client keeps working after a failed batch.
			expect( ( await wordpress.writeUser( write( 5 ) ) ).user_id ).toBe(
				50
			);
		} );

		it( 'never puts more than the batch size into one request', async () => {
			const wordpress = client( 1, 3 );
			const release = holdRequests();
			const first = wordpress.writeUser( write( 1 ) );
			await until( () => seen.length === 1 );
			const waiting = [ 2, 3, 4, 5, 6, 7, 8 ].map( ( id ) =>
				wordpress.writeUser( write( id ) )
			);
			release();

			const answers = await Promise.all( [ first, ...waiting ] );
			expect( answers.map( ( one ) => one.user_id ) ).toEqual( [
				10, 20, 30, 40, 50, 60, 70, 80,
			] );
			expect(
				batchesSeen().map( ( batch ) =>
					batch.map( ( item ) => item.contact_id )
				)
			).toEqual( [ [ 1 ], [ 2, 3, 4 ], [ 5, 6, 7 ], [ 8 ] ] );
		} );
	} );
} );

describe( 'WordPressClient and redirects', () => {
	const servers: http.Server[] = [];
	const listen = async (
		handler: http.RequestListener
	): Promise< string > => {
		const server = http.createServer( handler );
		servers.push( server );
		await new Promise< void >( ( resolve ) =>
			server.listen( 0, '127.0.0.1', resolve )
		);
		return `http://127.0.0.1:${ ( server.address() as AddressInfo ).port }`;
	};

	afterAll( async () => {
		for ( const server of servers ) {
			server.closeAllConnections();
			await new Promise( ( resolve ) => server.close( resolve ) );
		}
	} );

	it.each( [ 301, 302, 307, 308 ] )(
		'a %i from the site is not followed: the signed batch with its password never reaches the other origin',
		async ( status ) => {
			const elsewhere: string[] = [];
			const other = await listen( ( request, response ) => {
				elsewhere.push(
					`${ request.method } ${ request.url } ${ request.headers[ 'webhook-signature' ] ?? '' }`
				);
				response.writeHead( 200 ).end( '{"results":[]}' );
			} );
			const site = await listen( ( request, response ) => {
				request.resume();
				response
					.writeHead( status, {
						location: `${ other }/steal?from=${ request.url }`,
					} )
					.end();
			} );
			const wordpress = new WordPressClient(
				site,
				new Signer( [ SECRET ], 'bridge' ),
				1,
				25
			);
			const error = await failureOf(
				wordpress.writeUser( {
					...WRITE,
					generated_password: 'the-generated-password',
				} )
			);
			expect( error ).toMatchObject( {
				code: 'wordpress_redirected',
				retryable: true,
				status,
			} );
			expect( error.message ).toContain( other );
			expect( error.message ).not.toContain( 'steal' );
			expect( elsewhere ).toEqual( [] );
		}
	);
} );
