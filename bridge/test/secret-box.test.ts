import { rowContext, SecretBox, SecretBoxError } from '../src/secret-box';

const SECRET = `whsec_${ Buffer.alloc( 32, 9 ).toString( 'base64' ) }`;
const ROW_1 = rowContext( 'jobs', [ 1 ], 'sealed_password' );
const ROW_2 = rowContext( 'jobs', [ 2 ], 'sealed_password' );
/** Sealed by 0.1.0's SecretBox (no associated data) under SECRET, purpose job-password-v1. */
const LEGACY_PASSWORD =
	'v1.juiQ+HZKgdmqRUy3WTAXrTQisOFy/iV0rmSzNcElYGQaEU5r0aXleRzHNiAp+LboKg==';

describe( 'SecretBox', () => {
	const box = new SecretBox( SECRET, 'job-password-v1' );

	it( 'round-trips, and never stores the plaintext', () => {
		const sealed = box.seal( 'Correct-Horse-42', ROW_1 );
		expect( sealed ).not.toContain( 'Correct' );
		expect( sealed.startsWith( 'v2.' ) ).toBe( true );
		expect( box.open( sealed, ROW_1 ) ).toBe( 'Correct-Horse-42' );
	} );

	it( 'uses a fresh IV each time', () => {
		expect( box.seal( 'same', ROW_1 ) ).not.toBe(
			box.seal( 'same', ROW_1 )
		);
	} );

	it( 'a ciphertext moved to another row does not decrypt', () => {
		const sealed = box.seal( 'secret', ROW_1 );
		expect( () => box.open( sealed, ROW_2 ) ).toThrow( SecretBoxError );
		expect( () =>
			box.open( sealed, rowContext( 'jobs', [ 1 ], 'other_column' ) )
		).toThrow( SecretBoxError );
		expect( () =>
			box.open(
				sealed,
				rowContext( 'crm_tokens', [ 1 ], 'sealed_password' )
			)
		).toThrow( SecretBoxError );
	} );

	it( 'keeps the parts of a row key apart', () => {
		const sealed = box.seal(
			'secret',
			rowContext( 'crm_tokens', [ 'https://a', 'b', 'c' ], 'sealed' )
		);
		expect( () =>
			box.open(
				sealed,
				rowContext( 'crm_tokens', [ 'https://a", "b', 'c' ], 'sealed' )
			)
		).toThrow( SecretBoxError );
		expect( () =>
			box.open(
				sealed,
				rowContext( 'crm_tokens', [ 'https://ab', 'c' ], 'sealed' )
			)
		).toThrow( SecretBoxError );
	} );

	it( 'refuses another secret, another purpose and a tampered ciphertext', () => {
		const sealed = box.seal( 'secret', ROW_1 );
		const otherSecret = new SecretBox(
			`whsec_${ Buffer.alloc( 32, 8 ).toString( 'base64' ) }`,
			'job-password-v1'
		);
		const otherPurpose = new SecretBox( SECRET, 'crm-tokens-v1' );
		const bytes = Buffer.from( sealed.slice( 3 ), 'base64' );
		const last = bytes.length - 1;
		bytes.writeUInt8( ( bytes.readUInt8( last ) + 1 ) % 256, last );
		expect( () => otherSecret.open( sealed, ROW_1 ) ).toThrow(
			SecretBoxError
		);
		expect( () => otherPurpose.open( sealed, ROW_1 ) ).toThrow(
			SecretBoxError
		);
		expect( () =>
			box.open( `v2.${ bytes.toString( 'base64' ) }`, ROW_1 )
		).toThrow( SecretBoxError );
		expect( () => box.open( 'garbage', ROW_1 ) ).toThrow( SecretBoxError );
	} );

	it( 'opens a 0.1.0 value only through openLegacy, which open() refuses', () => {
		expect( SecretBox.isLegacy( LEGACY_PASSWORD ) ).toBe( true );
		expect( box.openLegacy( LEGACY_PASSWORD ) ).toBe(
			'Legacy-Password-1234!'
		);
		expect( () => box.open( LEGACY_PASSWORD, ROW_1 ) ).toThrow(
			SecretBoxError
		);
		const sealed = box.seal( 'secret', ROW_1 );
		expect( SecretBox.isLegacy( sealed ) ).toBe( false );
		expect( () => box.openLegacy( sealed ) ).toThrow( SecretBoxError );
	} );
} );
