import { createHmac } from 'node:crypto';
import { canonicalQuery } from '../src/signed-content';
import {
	SignatureError,
	Signer,
	newMessageId,
	type SignedRequest,
} from '../src/signature';

const KEY = Buffer.alloc( 32, 3 );
const SECRET = `whsec_${ KEY.toString( 'base64' ) }`;
const OTHER_SECRET = `whsec_${ Buffer.alloc( 32, 4 ).toString( 'base64' ) }`;
const NOW = new Date( 1_700_000_000_000 );

function request(
	method: string,
	pathAndQuery: string,
	body = ''
): SignedRequest {
	const url = new URL( pathAndQuery, 'http://host' );
	return { method, path: url.pathname, query: url.searchParams, body };
}

/**
 * The error a verification threw (checked to be a 401 that quotes no key), or null when the
 * request was accepted.
 * @param verify The verification.
 */
function refusal( verify: () => unknown ): SignatureError | null {
	try {
		verify();
	} catch ( error ) {
		expect( ( error as SignatureError ).status ).toBe( 401 );
		expect( ( error as Error ).message ).not.toContain(
			KEY.toString( 'base64' )
		);
		return error as SignatureError;
	}
	return null;
}

describe( 'Signer', () => {
	const plugin = () => new Signer( [ SECRET ], 'plugin' );
	const bridge = () => new Signer( [ SECRET ], 'bridge' );

	it( 'signs exactly as docs/architecture.md describes (direction key, method, path, query, body)', () => {
		const headers = plugin().sign(
			request( 'POST', '/v1/deliveries?b=2&a=x%20y', '{"a":1}' ),
			'msg_1',
			NOW
		);
		const directionKey = createHmac( 'sha256', KEY )
			.update( 'pulse-sync/plugin-to-bridge' )
			.digest();
		const expected = createHmac( 'sha256', directionKey )
			.update(
				'msg_1.1700000000.pulse-sync/plugin-to-bridge\nPOST\n/v1/deliveries\na=x%20y&b=2\n{"a":1}'
			)
			.digest( 'base64' );
		expect( headers ).toEqual( {
			'webhook-id': 'msg_1',
			'webhook-timestamp': '1700000000',
			'webhook-signature': `v1,${ expected }`,
		} );
	} );

	it( 'verifies the other side’s signature and returns the webhook id', () => {
		const sent = request(
			'GET',
			'/v1/deliveries?email=a%2Bb%40example.com'
		);
		const headers = plugin().sign( sent );
		expect( bridge().verify( sent, headers ) ).toBe(
			headers[ 'webhook-id' ]
		);
		const back = request( 'POST', '/pulse-sync/v1/bridge/users', '{}' );
		const signed = bridge().sign( back );
		expect( plugin().verify( back, signed ) ).toBe(
			signed[ 'webhook-id' ]
		);
	} );

	it( 'accepts the query whatever its order and its encoding of spaces', () => {
		const headers = plugin().sign(
			request( 'GET', '/v1/deliveries?status=failed&email=a%20b' )
		);
		expect( () =>
			bridge().verify(
				request( 'GET', '/v1/deliveries?email=a+b&status=failed' ),
				headers
			)
		).not.toThrow();
	} );

	describe( 'attacks', () => {
		it( 'refuses a signed GET /v1/status replayed to GET /wp-json/pulse-sync/v1/bridge/settings', () => {
			const headers = plugin().sign( request( 'GET', '/v1/status' ) );
			// The plugin's settings route verifies bridge → plugin requests.
			expect(
				refusal( () =>
					plugin().verify(
						request( 'GET', '/pulse-sync/v1/bridge/settings' ),
						headers
					)
				)
			).toBeInstanceOf( SignatureError );
		} );

		it( 'refuses a signed request sent back in the other direction, same path and body', () => {
			const sent = request( 'POST', '/v1/crm/disconnect', '{}' );
			expect(
				refusal( () => bridge().verify( sent, bridge().sign( sent ) ) )
			).toBeInstanceOf( SignatureError );
		} );

		it( 'refuses a signed POST {} for disconnect replayed to /v1/deliveries/{id}/replay', () => {
			const headers = plugin().sign(
				request( 'POST', '/v1/crm/disconnect', '{}' )
			);
			expect(
				refusal( () =>
					bridge().verify(
						request( 'POST', '/v1/deliveries/msg_1/replay', '{}' ),
						headers
					)
				)
			).toBeInstanceOf( SignatureError );
		} );

		it( 'refuses a signed GET with another query, an added parameter or another method', () => {
			const headers = plugin().sign(
				request( 'GET', '/v1/deliveries?email=a%40example.com' )
			);
			for ( const changed of [
				request( 'GET', '/v1/deliveries?email=b%40example.com' ),
				request( 'GET', '/v1/deliveries?email=a%40example.com&page=2' ),
				request( 'GET', '/v1/deliveries' ),
				request( 'POST', '/v1/deliveries?email=a%40example.com' ),
			] ) {
				expect(
					refusal( () => bridge().verify( changed, headers ) )
				).toBeInstanceOf( SignatureError );
			}
		} );

		it( 'refuses a replayed webhook-id, however the rest was changed', () => {
			const verifier = bridge();
			const sent = request( 'POST', '/v1/deliveries', '{"id":"msg_1"}' );
			const headers = plugin().sign( sent );
			verifier.verify( sent, headers );
			expect(
				refusal( () => verifier.verify( sent, headers ) )?.message
			).toContain( 'already used' );
			// Already at the header check, before any body is read.
			expect(
				refusal( () => verifier.checkHeaders( headers ) )
			).toBeInstanceOf( SignatureError );
		} );

		it( 'does not remember an id whose signature failed (a forged copy cannot block the genuine one)', () => {
			const verifier = bridge();
			const sent = request( 'POST', '/v1/deliveries', '{"id":"msg_1"}' );
			const headers = plugin().sign( sent );
			expect(
				refusal( () =>
					verifier.verify(
						{ ...sent, body: '{"id":"msg_2"}' },
						headers
					)
				)
			).toBeInstanceOf( SignatureError );
			expect( verifier.verify( sent, headers ) ).toBe(
				headers[ 'webhook-id' ]
			);
		} );
	} );

	describe( 'several secrets (rotation)', () => {
		const sent = request( 'POST', '/v1/deliveries', 'body' );

		it( 'signs with each secret, current first, and is accepted by a side that knows either', () => {
			const headers = new Signer(
				[ SECRET, OTHER_SECRET ],
				'plugin'
			).sign( sent, 'msg_r', NOW );
			const signatures = headers[ 'webhook-signature' ].split( ' ' );
			expect( signatures ).toEqual( [
				new Signer( [ SECRET ], 'plugin' ).sign( sent, 'msg_r', NOW )[
					'webhook-signature'
				],
				new Signer( [ OTHER_SECRET ], 'plugin' ).sign(
					sent,
					'msg_r',
					NOW
				)[ 'webhook-signature' ],
			] );
			for ( const secrets of [ [ SECRET ], [ OTHER_SECRET ] ] ) {
				expect(
					new Signer( secrets, 'bridge' ).verify( sent, headers, NOW )
				).toBe( 'msg_r' );
			}
		} );

		it( 'accepts a request signed with the previous secret while it is listed', () => {
			const headers = new Signer( [ OTHER_SECRET ], 'plugin' ).sign(
				sent
			);
			expect( () =>
				new Signer( [ SECRET, OTHER_SECRET ], 'bridge' ).verify(
					sent,
					headers
				)
			).not.toThrow();
			expect(
				refusal( () =>
					new Signer( [ SECRET ], 'bridge' ).verify( sent, headers )
				)
			).toBeInstanceOf( SignatureError );
		} );

		it( 'reads the secrets again on every call when given a function', () => {
			let secrets = [ SECRET ];
			const verifier = new Signer( () => secrets, 'bridge' );
			const old = new Signer( [ SECRET ], 'plugin' ).sign( sent );
			secrets = [ OTHER_SECRET ];
			expect(
				refusal( () => verifier.verify( sent, old ) )
			).toBeInstanceOf( SignatureError );
			const fresh = new Signer( [ OTHER_SECRET ], 'plugin' ).sign( sent );
			expect( verifier.verify( sent, fresh ) ).toBe(
				fresh[ 'webhook-id' ]
			);
		} );
	} );

	describe( 'header checks (before the body is read)', () => {
		it( 'passes well-formed headers', () => {
			expect( bridge().checkHeaders( good(), NOW ) ).toMatchObject( {
				timestamp: NOW.getTime() / 1000,
			} );
		} );

		const good = () =>
			plugin().sign( request( 'GET', '/v1/status' ), undefined, NOW );
		const seconds = NOW.getTime() / 1000;

		it.each( [
			[ 'no webhook-id', { 'webhook-id': undefined } ],
			[ 'an empty signature', { 'webhook-signature': '' } ],
			[ 'an id with a dot', { 'webhook-id': 'msg.1' } ],
			[ 'an id longer than 64', { 'webhook-id': 'm'.repeat( 65 ) } ],
			[ 'a timestamp with letters', { 'webhook-timestamp': '17e8' } ],
			[
				'a timestamp 301 s old',
				{ 'webhook-timestamp': String( seconds - 301 ) },
			],
			[
				'a timestamp 301 s ahead',
				{ 'webhook-timestamp': String( seconds + 301 ) },
			],
			[ 'a signature without version', { 'webhook-signature': 'abc=' } ],
			[ 'only a v2 signature', { 'webhook-signature': 'v2,abc=' } ],
			[
				'nine signatures',
				{
					'webhook-signature': Array( 9 )
						.fill( 'v1,abc=' )
						.join( ' ' ),
				},
			],
			[ 'a duplicated header', { 'webhook-id': [ 'msg_1', 'msg_2' ] } ],
		] )( 'refuses %s', ( _name, change ) => {
			expect(
				refusal( () =>
					bridge().checkHeaders( { ...good(), ...change }, NOW )
				)
			).toBeInstanceOf( SignatureError );
		} );

		it( 'accepts timestamps up to 300 s away either way', () => {
			for ( const skew of [ -300, 300 ] ) {
				const at = new Date( NOW.getTime() + skew * 1000 );
				const sent = request( 'GET', '/v1/status' );
				expect( () =>
					bridge().verify(
						sent,
						plugin().sign( sent, 'msg_s', at ),
						NOW
					)
				).not.toThrow();
			}
		} );
	} );

	it( 'builds the canonical query as PHP’s rawurlencode() does, sorted', () => {
		expect(
			canonicalQuery(
				new URLSearchParams( "q=it's (ok)*!~&email=a+b@x.com&a=%C3%A9" )
			)
		).toBe( 'a=%C3%A9&email=a%20b%40x.com&q=it%27s%20%28ok%29%2A%21~' );
	} );

	it( 'makes msg_<32 hex> ids', () => {
		expect( newMessageId() ).toMatch( /^msg_[0-9a-f]{32}$/ );
	} );
} );
