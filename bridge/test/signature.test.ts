import { createHmac } from 'node:crypto';
import { SignatureError, Signer, newMessageId } from '../src/signature';

const KEY = Buffer.alloc( 32, 3 );
const SECRET = `whsec_${ KEY.toString( 'base64' ) }`;
const OTHER_SECRET = `whsec_${ Buffer.alloc( 32, 4 ).toString( 'base64' ) }`;

describe( 'Signer', () => {
	const signer = new Signer( SECRET );

	it( 'signs exactly as docs/architecture.md describes (HMAC-SHA256 over id.timestamp.body)', () => {
		const now = new Date( 1_700_000_000_000 );
		const headers = signer.sign( '{"a":1}', 'msg_1', now );
		const expected = createHmac( 'sha256', KEY )
			.update( 'msg_1.1700000000.{"a":1}' )
			.digest( 'base64' );
		expect( headers ).toEqual( {
			'webhook-id': 'msg_1',
			'webhook-timestamp': '1700000000',
			'webhook-signature': `v1,${ expected }`,
		} );
	} );

	it( 'verifies its own signature and returns the webhook id', () => {
		const headers = signer.sign( 'body' );
		expect( signer.verify( 'body', headers ) ).toBe(
			headers[ 'webhook-id' ]
		);
	} );

	it( 'accepts a rotated secret among several signatures', () => {
		const headers = signer.sign( 'body' );
		const old = new Signer( OTHER_SECRET ).sign(
			'body',
			headers[ 'webhook-id' ]
		);
		const both = {
			...headers,
			'webhook-signature': `${ old[ 'webhook-signature' ] } ${ headers[ 'webhook-signature' ] }`,
		};
		expect( signer.verify( 'body', both ) ).toBe( headers[ 'webhook-id' ] );
	} );

	it.each( [
		[
			'a changed body',
			( h: Record< string, string > ) => h,
			'other body',
		],
		[
			'another secret',
			() => new Signer( OTHER_SECRET ).sign( 'body' ),
			'body',
		],
		[
			'a missing signature',
			( h: Record< string, string > ) => ( {
				...h,
				'webhook-signature': '',
			} ),
			'body',
		],
		[
			'a stale timestamp',
			() =>
				signer.sign(
					'body',
					'msg_2',
					new Date( Date.now() - 301_000 )
				),
			'body',
		],
		[
			'a future timestamp',
			() =>
				signer.sign(
					'body',
					'msg_3',
					new Date( Date.now() + 301_000 )
				),
			'body',
		],
	] )(
		'rejects %s with a 401 SignatureError',
		( _name, headersFor, body ) => {
			const headers = headersFor( signer.sign( 'body' ) );
			let thrown: unknown = null;
			try {
				signer.verify( body, headers );
			} catch ( error ) {
				thrown = error;
			}
			expect( thrown ).toBeInstanceOf( SignatureError );
			expect( ( thrown as SignatureError ).status ).toBe( 401 );
			expect( ( thrown as Error ).message ).not.toContain(
				KEY.toString( 'base64' )
			);
		}
	);

	it( 'makes msg_<32 hex> ids', () => {
		expect( newMessageId() ).toMatch( /^msg_[0-9a-f]{32}$/ );
	} );
} );
