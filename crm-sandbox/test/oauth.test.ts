import { DEMO_CLIENT } from '../src';
import { REDIRECT_URI, startTestSandbox, type TestSandbox } from './helpers';

let sandbox: TestSandbox;

beforeAll( async () => {
	sandbox = await startTestSandbox( { tokenTtlSeconds: 1 } );
} );
afterAll( () => sandbox.close() );

const client = { client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret };

function authorizeUrl( params: Record< string, string > ): string {
	return `${ sandbox.url }/oauth/authorize?${ new URLSearchParams( { client_id: DEMO_CLIENT.id, response_type: 'code', scope: '', ...params } ) }`;
}

describe( 'consent page', () => {
	it( 'shows an Authorize button and escapes what it echoes', async () => {
		const response = await fetch(
			authorizeUrl( {
				redirect_uri: REDIRECT_URI,
				state: '"><script>alert(1)</script>',
			} )
		);
		const page = await response.text();
		expect( response.status ).toBe( 200 );
		expect( page ).toMatch( /<button[^>]*>\s*Authorize\s*<\/button>/ );
		expect( page ).not.toContain( '<script>alert(1)</script>' );
		expect( page ).toContain( '&quot;&gt;&lt;script&gt;' );
	} );

	it( 'refuses a redirect URI outside the loopback host and an unknown client', async () => {
		expect(
			(
				await fetch(
					authorizeUrl( { redirect_uri: 'https://evil.example/cb' } )
				)
			).status
		).toBe( 400 );
		expect(
			(
				await fetch(
					authorizeUrl( {
						redirect_uri: REDIRECT_URI,
						client_id: 'someone',
					} )
				)
			).status
		).toBe( 400 );
	} );

	it( 'sends the browser back with code and state on Authorize, and access_denied on Cancel', async () => {
		const consent = ( decision: string ) =>
			fetch( `${ sandbox.url }/oauth/authorize`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
				},
				body: new URLSearchParams( {
					client_id: DEMO_CLIENT.id,
					redirect_uri:
						'http://localhost:8080/wp-admin/admin.php?page=pulse-sync',
					state: 's1',
					decision,
				} ),
			} );
		const approved = new URL(
			( await consent( 'approve' ) ).headers.get( 'location' ) ?? ''
		);
		expect( approved.searchParams.get( 'page' ) ).toBe( 'pulse-sync' );
		expect( approved.searchParams.get( 'state' ) ).toBe( 's1' );
		expect( approved.searchParams.get( 'code' ) ).toMatch(
			/^[0-9a-f]{64}$/
		);
		const denied = new URL(
			( await consent( 'deny' ) ).headers.get( 'location' ) ?? ''
		);
		expect( denied.searchParams.get( 'error' ) ).toBe( 'access_denied' );
		expect( denied.searchParams.get( 'code' ) ).toBeNull();
	} );
} );

describe( 'token endpoint', () => {
	async function code(): Promise< string > {
		return (
			await sandbox.control( 'POST', 'oauth/code', {
				client_id: DEMO_CLIENT.id,
				redirect_uri: REDIRECT_URI,
			} )
		).body.code;
	}

	it( 'exchanges a code once, and only with the same redirect URI and the right secret', async () => {
		const first = await code();
		const wrongSecret = await sandbox.token( {
			grant_type: 'authorization_code',
			code: first,
			...client,
			client_secret: 'nope',
			redirect_uri: REDIRECT_URI,
		} );
		expect( wrongSecret.status ).toBe( 401 );
		expect( wrongSecret.body.error ).toBe( 'invalid_client' );

		const second = await code();
		const wrongUri = await sandbox.token( {
			grant_type: 'authorization_code',
			code: second,
			...client,
			redirect_uri: 'http://127.0.0.1:9/other',
		} );
		expect( wrongUri.status ).toBe( 400 );
		expect( wrongUri.body.error ).toBe( 'invalid_grant' );

		const third = await code();
		const ok = await sandbox.token( {
			grant_type: 'authorization_code',
			code: third,
			...client,
			redirect_uri: REDIRECT_URI,
		} );
		expect( ok.body ).toMatchObject( {
			token_type: 'Bearer',
			expires_in: 1,
		} );
		const replay = await sandbox.token( {
			grant_type: 'authorization_code',
			code: third,
			...client,
			redirect_uri: REDIRECT_URI,
		} );
		expect( replay.status ).toBe( 400 );
		expect( replay.body ).toEqual( {
			error: 'invalid_grant',
			error_description: expect.any( String ),
		} );
	} );

	it( 'rotates refresh tokens: the old refresh token and the old access token stop working', async () => {
		const first = await sandbox.connect();
		const rotated = await sandbox.token( {
			grant_type: 'refresh_token',
			refresh_token: first.refresh_token,
			...client,
		} );
		expect( rotated.status ).toBe( 200 );
		expect( rotated.body.refresh_token ).not.toBe( first.refresh_token );
		expect(
			(
				await sandbox.api( 'GET', 'tags', {
					token: first.access_token,
				} )
			).status
		).toBe( 401 );
		expect(
			(
				await sandbox.api( 'GET', 'tags', {
					token: rotated.body.access_token,
				} )
			).status
		).toBe( 200 );

		const reuse = await sandbox.token( {
			grant_type: 'refresh_token',
			refresh_token: first.refresh_token,
			...client,
		} );
		expect( reuse.status ).toBe( 400 );
		expect( reuse.body.error ).toBe( 'invalid_grant' );
	} );

	it( 'lets access tokens expire after the configured lifetime', async () => {
		const tokens = await sandbox.connect();
		expect(
			(
				await sandbox.api( 'GET', 'tags', {
					token: tokens.access_token,
				} )
			).status
		).toBe( 200 );
		await new Promise( ( resolve ) => setTimeout( resolve, 1100 ) );
		expect(
			(
				await sandbox.api( 'GET', 'tags', {
					token: tokens.access_token,
				} )
			).status
		).toBe( 401 );
	} );

	it( 'answers unsupported_grant_type and invalid_request', async () => {
		expect(
			( await sandbox.token( { grant_type: 'password', ...client } ) )
				.body.error
		).toBe( 'unsupported_grant_type' );
		expect(
			(
				await sandbox.token( {
					grant_type: 'refresh_token',
					...client,
				} )
			).body.error
		).toBe( 'invalid_request' );
	} );

	it( 'forgets every grant on revoke', async () => {
		const tokens = await sandbox.connect();
		await sandbox.control( 'POST', 'tokens/revoke' );
		expect(
			(
				await sandbox.token( {
					grant_type: 'refresh_token',
					refresh_token: tokens.refresh_token,
					...client,
				} )
			).status
		).toBe( 400 );
	} );
} );
