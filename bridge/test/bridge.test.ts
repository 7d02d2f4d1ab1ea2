/**
 * The bridge over real HTTP: server, SQLite queue and worker, the real CRM client against the
 * CRM sandbox, and a fake plugin (support/fake-wordpress.ts) that records the user writes.
 */
import fs from 'node:fs';
import type { RunningBridge } from '../src/index';
import { newMessageId, Signer } from '../src/signature';
import { bridgeCaller } from './support/signed-fetch';
import {
	capturingLogger,
	connectCrm,
	startBridge,
	startStack,
	TEST_SECRET,
	type TestStack,
} from './support/stack';

describe( 'bridge over HTTP', () => {
	let stack: TestStack;
	let bridge: RunningBridge;
	let call: ReturnType< typeof bridgeCaller >;
	let rev = '1';
	const logger = capturingLogger();

	beforeAll( async () => {
		stack = await startStack();
		bridge = await startBridge( stack.config, {
			logger,
			shutdownGraceMs: 2000,
			crmTuning: { maxRetries: 0, retryBaseDelayMs: 10 },
		} );
		call = bridgeCaller( bridge.url, TEST_SECRET, () => rev );
		await connectCrm( bridge, stack );
	} );

	afterAll( async () => {
		await bridge.close();
		await stack.close();
	} );

	const contacts = () => stack.sandbox.state.contacts;
	function newContact(
		fields: Record< string, string >,
		tagNames: string[] = []
	): number {
		const contact = contacts().create( fields );
		const tagIds = tagNames.map(
			( name ) =>
				(
					contacts().findTagByName( name ) ??
					contacts().createTag( name )
				).id
		);
		contacts().applyTags( contact, tagIds );
		return contact.id;
	}
	const deliver = (
		action: string,
		contactId: number,
		extra: Record< string, unknown > = {}
	) =>
		call( 'POST', '/v1/deliveries', {
			id: newMessageId(),
			action,
			contact_id: contactId,
			params: {},
			source_ip: '198.51.100.7',
			received_at: new Date().toISOString(),
			wait_ms: 5000,
			...extra,
		} );
	async function waitForState( id: string, state: string ): Promise< any > {
		for ( let i = 0; i < 100; i++ ) {
			const answer = await call( 'GET', `/v1/deliveries/${ id }` );
			if ( answer.json.state === state ) {
				return answer.json;
			}
			await new Promise( ( resolve ) => setTimeout( resolve, 50 ) );
		}
		throw new Error( `delivery ${ id } never reached ${ state }` );
	}

	describe( 'HTTP front', () => {
		it( 'answers /v1/health unsigned with nothing but the version', async () => {
			const response = await fetch( `${ bridge.url }/v1/health` );
			expect( response.status ).toBe( 200 );
			expect( await response.json() ).toEqual( {
				ok: true,
				version: expect.any( String ),
			} );
		} );

		it( 'refuses unsigned and wrongly signed requests with 401', async () => {
			const unsigned = await fetch( `${ bridge.url }/v1/status` );
			expect( unsigned.status ).toBe( 401 );
			expect( await unsigned.json() ).toMatchObject( {
				error: 'invalid_signature',
			} );
			const other = bridgeCaller(
				bridge.url,
				`whsec_${ Buffer.alloc( 32, 1 ).toString( 'base64' ) }`
			);
			expect(
				(
					await other( 'POST', '/v1/deliveries', {
						id: 'msg_x',
						action: 'add',
						contact_id: 1,
					} )
				).status
			).toBe( 401 );
		} );

		it( 'answers bad input with a 4xx JSON error, never a 500', async () => {
			const raw = async ( body: string | Buffer ) => {
				const headers = new Signer( [ TEST_SECRET ], 'plugin' ).sign( {
					method: 'POST',
					path: '/v1/deliveries',
					query: new URLSearchParams(),
					body: body.toString(),
				} );
				return fetch( `${ bridge.url }/v1/deliveries`, {
					method: 'POST',
					headers,
					body,
				} );
			};
			expect( ( await raw( '{not json' ) ).status ).toBe( 400 );
			expect(
				( await raw( Buffer.from( [ 0x7b, 0xff, 0x7d ] ) ) ).status
			).toBe( 400 );
			expect( ( await raw( 'x'.repeat( 70 * 1024 ) ) ).status ).toBe(
				413
			);
			for ( const body of [
				[],
				{ id: 'msg_1', action: 'delete', contact_id: 1 },
				{ id: 'msg_1', action: 'add', contact_id: 0 },
				{ id: 'msg_1', action: 'add', contact_id: '7' },
				{ id: 'msg_1', action: 'add', contact_id: 1e20 },
				{ id: '<script>', action: 'add', contact_id: 1 },
				{
					id: 'msg_1',
					action: 'add',
					contact_id: 1,
					params: { role: "x' OR 1=1" },
				},
				{ id: 'msg_1', action: 'add', contact_id: 1, wait_ms: -1 },
				{
					id: 'msg_1',
					action: 'add',
					contact_id: 1,
					source_ip: 'somewhere',
				},
			] ) {
				const answer = await call( 'POST', '/v1/deliveries', body );
				expect( answer.status ).toBe( 400 );
				expect( answer.json ).toMatchObject( {
					error: 'invalid_request',
					message: expect.any( String ),
				} );
			}
			expect(
				( await call( 'GET', '/v1/deliveries?per_page=1000' ) ).status
			).toBe( 400 );
			expect(
				( await call( 'GET', '/v1/deliveries?status=lost' ) ).status
			).toBe( 400 );
			expect( ( await call( 'GET', '/v1/nothing' ) ).status ).toBe( 404 );
			expect(
				( await call( 'GET', '/v1/deliveries/msg_unknown' ) ).status
			).toBe( 404 );
			expect( ( await call( 'POST', '/v1/status' ) ).status ).toBe( 405 );
		} );
	} );

	describe( 'CRM routes', () => {
		it( 'reports the connection, and serves fields and tags', async () => {
			newContact( { email: 'tagger@example.com' }, [ 'Members' ] );
			const status = await call( 'GET', '/v1/status' );
			expect( status.status ).toBe( 200 );
			expect( status.json.crm ).toMatchObject( {
				connected: true,
				account_url: stack.sandbox.url,
				last_error: null,
				// The test stack sets a ceiling of 50; the CRM has not said no.
				pace: {
					requests_per_second: 50,
					ceiling: 50,
					current_per_second: expect.any( Number ),
					limited_by_crm: false,
					last_limited_at: null,
				},
			} );
			expect( Date.parse( status.json.crm.expires_at ) ).toBeGreaterThan(
				Date.now()
			);
			const fields = await call( 'GET', '/v1/crm/fields' );
			expect( fields.json.fields ).toEqual(
				expect.arrayContaining( [ { key: 'email', label: 'Email' } ] )
			);
			const tags = await call( 'GET', '/v1/crm/tags?refresh=1' );
			expect( tags.json.tags ).toEqual(
				expect.arrayContaining( [
					{ id: expect.any( Number ), name: 'Members' },
				] )
			);
		} );

		it( 'builds the authorize URL for the plugin (the bridge owns the CRM URLs)', async () => {
			const answer = await call( 'POST', '/v1/crm/authorize', {
				redirect_uri:
					'http://127.0.0.1/wp-admin/admin.php?page=pulse-sync',
				state: 'abc123',
			} );
			expect( answer.status ).toBe( 200 );
			const url = new URL( answer.json.authorize_url );
			expect( url.origin + url.pathname ).toBe(
				`${ stack.sandbox.url }/oauth/authorize`
			);
			expect( Object.fromEntries( url.searchParams ) ).toEqual( {
				client_id: 'pulse-sync-demo',
				redirect_uri:
					'http://127.0.0.1/wp-admin/admin.php?page=pulse-sync',
				response_type: 'code',
				scope: '',
				state: 'abc123',
			} );
			const refused = await call( 'POST', '/v1/crm/authorize', {
				redirect_uri: 'http://127.0.0.1/cb',
			} );
			expect( refused.status ).toBe( 400 );
			expect( refused.json.message ).toBe(
				'state must be a non-empty string of at most 128 characters.'
			);
		} );

		it( 'refuses a used OAuth code with a 400', async () => {
			const answer = await call( 'POST', '/v1/crm/oauth/exchange', {
				code: 'used-or-invented',
				redirect_uri: 'http://127.0.0.1/cb',
			} );
			expect( answer.status ).toBe( 400 );
			expect( answer.json.error ).toBe( 'crm_refused' );
		} );

		it( 'keeps the tokens encrypted in SQLite', () => {
			const file =
				fs.readFileSync( stack.config.dbPath ).toString( 'latin1' ) +
				readWal( stack.config.dbPath );
			const grants = stack.sandbox.state.grants.snapshot();
			const tokens = [
				...grants.access_tokens,
				...grants.refresh_tokens,
			].map( ( [ token ] ) => token );
			expect( tokens.length ).toBeGreaterThan( 1 );
			for ( const token of tokens ) {
				expect( file ).not.toContain( token );
			}
		} );
	} );

	describe( 'deliveries', () => {
		it( 'creates the user, returns the generated password to the CRM before answering done', async () => {
			const contactId = newContact(
				{
					email: 'ann@example.com',
					first_name: 'Ann',
					last_name: 'Lee',
				},
				[ 'Members', 'VIP' ]
			);
			const answer = await deliver( 'add', contactId, {
				params: { send_notification: true, role: 'customer' },
			} );
			expect( answer.status ).toBe( 200 );
			expect( answer.json ).toEqual( {
				delivery_id: expect.stringMatching( /^msg_/ ),
				state: 'done',
				result: { status: 'created', user_id: expect.any( Number ) },
			} );
			const write = stack.wordpress.writes.find(
				( entry ) => entry.contact_id === contactId
			);
			expect( write ).toMatchObject( {
				action: 'add',
				email: 'ann@example.com',
				user: {
					user_email: 'ann@example.com',
					first_name: 'Ann',
					last_name: 'Lee',
				},
				role: 'customer',
				send_notification: true,
				tags: contacts()
					.contactTags( contacts().get( contactId )! )
					.map( ( tag ) => tag.id ),
			} );
			const password = write?.generated_password as string;
			expect( password.length ).toBeGreaterThanOrEqual( 20 );
			expect( contacts().get( contactId )?.fields.custom_password ).toBe(
				password
			);

			// The password appears in no log line and, once returned, nowhere in the database.
			expect( logger.lines.join( '\n' ) ).not.toContain( password );
			const stored =
				fs.readFileSync( stack.config.dbPath ).toString( 'utf8' ) +
				readWal( stack.config.dbPath );
			expect( stored ).not.toContain( password );

			const delivery = await call(
				'GET',
				`/v1/deliveries/${ answer.json.delivery_id }`
			);
			expect( delivery.json ).toMatchObject( {
				id: answer.json.delivery_id,
				action: 'add',
				contact_id: contactId,
				params: { send_notification: true, role: 'customer' },
				source_ip: '198.51.100.7',
				state: 'done',
				result_status: 'created',
				email: 'ann@example.com',
				attempts: [
					{ n: 1, error: null, duration_ms: expect.any( Number ) },
				],
			} );
		} );

		it( 'stores a repeated forward once and answers it with the same result', async () => {
			const contactId = newContact( { email: 'repeat@example.com' } );
			const body = {
				id: newMessageId(),
				action: 'add',
				contact_id: contactId,
				wait_ms: 5000,
			};
			const first = await call( 'POST', '/v1/deliveries', body );
			const writes = stack.wordpress.writes.length;
			const again = await call( 'POST', '/v1/deliveries', body );
			expect( again.json ).toEqual( first.json );
			expect( stack.wordpress.writes.length ).toBe( writes );
			expect(
				(
					await call(
						'GET',
						`/v1/deliveries?contact_id=${ contactId }`
					)
				).json.total
			).toBe( 1 );
		} );

		it( 'fails an unknown contact with contact_not_found / 404 and a contact without email with invalid_email / 422', async () => {
			const missing = await deliver( 'add', 999_999 );
			expect( missing.json ).toMatchObject( {
				state: 'failed',
				error: {
					code: 'contact_not_found',
					http_status: 404,
					message: expect.any( String ),
				},
			} );
			const noEmail = await deliver(
				'add',
				newContact( { first_name: 'Nomail' } )
			);
			expect( noEmail.json ).toMatchObject( {
				state: 'failed',
				error: { code: 'invalid_email', http_status: 422 },
			} );
		} );

		it( 'skips an update for a contact without a user', async () => {
			// PHP sends an empty params array as [] and an unknown address as "".
			const answer = await deliver(
				'update',
				newContact( { email: 'nouser@example.com' } ),
				{ params: [], source_ip: '' }
			);
			expect( answer.json ).toMatchObject( {
				state: 'done',
				result: { status: 'skipped', user_id: null },
			} );
		} );

		it( 'retries a failed tag load instead of writing "no tags"', async () => {
			const contactId = newContact( { email: 'tags@example.com' }, [
				'Members',
			] );
			await deliver( 'add', contactId );
			const writesBefore = stack.wordpress.writes.length;
			stack.sandbox.state.faults.add( {
				path_pattern: `/api/v1/contacts/${ contactId }/tags*`,
				status: 503,
				times: 1,
			} );
			const answer = await deliver( 'update', contactId );
			expect( answer.json ).toMatchObject( {
				state: 'done',
				result: { status: 'updated' },
			} );
			const writes = stack.wordpress.writes.slice( writesBefore );
			expect( writes ).toHaveLength( 1 );
			expect( writes[ 0 ]?.tags ).toHaveLength( 1 );
			const delivery = await call(
				'GET',
				`/v1/deliveries/${ answer.json.delivery_id }`
			);
			expect(
				delivery.json.attempts.map(
					( attempt: any ) => attempt.error?.code ?? null
				)
			).toEqual( [ 'crm_server_error', null ] );
		} );

		it( 'retries WordPress failures and ends as failed with the reason after the last attempt', async () => {
			const contactId = newContact( { email: 'down@example.com' } );
			stack.wordpress.failWrites = 3; // one attempt plus two retries
			const answer = await deliver( 'add', contactId );
			expect( answer.json ).toMatchObject( {
				state: 'failed',
				error: { code: 'wordpress_unavailable' },
			} );
			const delivery = await call(
				'GET',
				`/v1/deliveries/${ answer.json.delivery_id }`
			);
			expect( delivery.json.attempts ).toHaveLength( 3 );

			const replay = await call(
				'POST',
				`/v1/deliveries/${ answer.json.delivery_id }/replay`
			);
			expect( replay ).toEqual( {
				status: 202,
				json: { delivery_id: answer.json.delivery_id, state: 'queued' },
			} );
			const done = await waitForState( answer.json.delivery_id, 'done' );
			expect( done.attempts ).toHaveLength( 4 );
			expect( stack.wordpress.users.get( contactId )?.password ).toBe(
				contacts().get( contactId )?.fields.custom_password
			);
		} );

		it( 'answers 202 with the backlog when the job takes longer than wait_ms', async () => {
			const contactId = newContact( { email: 'slow@example.com' } );
			stack.wordpress.writeDelayMs = 300;
			try {
				const answer = await deliver( 'add', contactId, {
					wait_ms: 50,
				} );
				expect( answer.status ).toBe( 202 );
				expect( answer.json ).toEqual( {
					delivery_id: expect.any( String ),
					state: 'queued',
					backlog: expect.any( Number ),
				} );
				await waitForState( answer.json.delivery_id, 'done' );
			} finally {
				stack.wordpress.writeDelayMs = 0;
			}
		} );

		it( 'regression: a job queued a moment ago is no backlog yet', async () => {
			// Counting it kept the plugin answering 202 for as long as webhooks kept coming,
			// though the bridge was keeping up.
			const busy = newContact( { email: 'busy@example.com' } );
			stack.wordpress.writeDelayMs = 300;
			try {
				const running = await deliver( 'add', busy, { wait_ms: 0 } );
				await waitForState( running.json.delivery_id, 'in_progress' );
				// Queued behind the running job of the same contact: due, but waiting.
				const behind = await deliver( 'update', busy, { wait_ms: 0 } );
				const other = await deliver(
					'add',
					newContact( { email: 'other@example.com' } ),
					{ wait_ms: 0 }
				);
				expect( other.json.backlog ).toBe( 0 );
				for ( const answer of [ running, behind, other ] ) {
					await waitForState( answer.json.delivery_id, 'done' );
				}
			} finally {
				stack.wordpress.writeDelayMs = 0;
			}
		} );

		it( 'merges deliveries queued for one contact while its job runs', async () => {
			const contactId = newContact( { email: 'burst@example.com' } );
			stack.wordpress.writeDelayMs = 300;
			try {
				const first = await deliver( 'add', contactId, { wait_ms: 0 } );
				await waitForState( first.json.delivery_id, 'in_progress' );
				const later = await Promise.all( [
					deliver( 'update', contactId, { wait_ms: 0 } ),
					deliver( 'update_tags', contactId, { wait_ms: 0 } ),
					deliver( 'update', contactId, { wait_ms: 0 } ),
				] );
				for ( const answer of [ first, ...later ] ) {
					await waitForState( answer.json.delivery_id, 'done' );
				}
				const writes = stack.wordpress.writes.filter(
					( write ) => write.contact_id === contactId
				);
				expect( writes.map( ( write ) => write.action ) ).toEqual( [
					'add',
					'update',
				] );
				const merged = await Promise.all(
					later.map( ( answer ) =>
						call(
							'GET',
							`/v1/deliveries/${ answer.json.delivery_id }`
						)
					)
				);
				expect(
					merged.filter(
						( answer ) => answer.json.merged_into !== undefined
					)
				).toHaveLength( 2 );
			} finally {
				stack.wordpress.writeDelayMs = 0;
			}
		} );

		it( 'lists deliveries with filters and paging', async () => {
			const byEmail = await call(
				'GET',
				'/v1/deliveries?email=ann@example.com'
			);
			expect( byEmail.json ).toMatchObject( {
				total: 1,
				page: 1,
				per_page: 20,
			} );
			const failed = await call(
				'GET',
				'/v1/deliveries?status=failed&action=add&per_page=1'
			);
			expect( failed.json.total ).toBeGreaterThanOrEqual( 2 );
			expect( failed.json.items ).toHaveLength( 1 );
			const status = await call( 'GET', '/v1/status' );
			expect( status.json.queue ).toMatchObject( {
				pending: 0,
				in_progress: 0,
				failed: expect.any( Number ),
				done: expect.any( Number ),
			} );
		} );
	} );

	describe( 'settings', () => {
		it( 'reloads the settings when a request carries another revision', async () => {
			const fetches = stack.wordpress.settingsFetches;
			await call( 'GET', '/v1/status' );
			expect( stack.wordpress.settingsFetches ).toBe( fetches );
			stack.wordpress.settings = {
				...stack.wordpress.settings,
				rev: 2,
				field_mapping: [
					...stack.wordpress.settings.field_mapping,
					{ wp: 'crm_city', crm: 'address_1.city' },
				],
				return_password: { enabled: false, field: '' },
			};
			rev = '2';
			const contactId = newContact( {
				email: 'city@example.com',
				'address_1.city': 'Oslo',
			} );
			await deliver( 'add', contactId );
			expect( stack.wordpress.settingsFetches ).toBe( fetches + 1 );
			const write = stack.wordpress.writes.find(
				( entry ) => entry.contact_id === contactId
			);
			expect( write ).toMatchObject( {
				meta: { crm_city: 'Oslo' },
				generated_password: null,
			} );
		} );

		it( 'disconnects from the CRM on request', async () => {
			const answer = await call( 'POST', '/v1/crm/disconnect' );
			expect( answer.json ).toMatchObject( {
				connected: false,
				account_url: stack.sandbox.url,
				expires_at: null,
			} );
			expect( ( await call( 'GET', '/v1/crm/tags' ) ).json.error ).toBe(
				'crm_not_connected'
			);
			await connectCrm( bridge, stack );
		} );

		it( 'deletes the CRM tokens on disconnect even when WordPress cannot give the settings (as during uninstall)', async () => {
			const saved = stack.wordpress.settings;
			const savedRev = rev;
			stack.wordpress.settings = {
				...saved,
				rev: 'uninstalling',
				crm: 'not an object',
			} as unknown as typeof saved;
			rev = 'uninstalling';
			const answer = await call( 'POST', '/v1/crm/disconnect' );
			expect( answer.status ).toBe( 502 );
			stack.wordpress.settings = saved;
			rev = savedRev;
			expect( ( await call( 'GET', '/v1/crm/tags' ) ).json.error ).toBe(
				'crm_not_connected'
			);
			await connectCrm( bridge, stack );
		} );
	} );
} );

function readWal( dbPath: string ): string {
	return fs.existsSync( `${ dbPath }-wal` )
		? fs.readFileSync( `${ dbPath }-wal` ).toString( 'latin1' )
		: '';
}
