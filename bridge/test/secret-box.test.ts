import { SecretBox, SecretBoxError } from '../src/secret-box';

const SECRET = `whsec_${ Buffer.alloc( 32, 9 ).toString( 'base64' ) }`;

describe( 'SecretBox', () => {
	const box = new SecretBox( SECRET, 'job-password-v1' );

	it( 'round-trips, and never stores the plaintext', () => {
		const sealed = box.seal( 'Correct-Horse-42' );
		expect( sealed ).not.toContain( 'Correct' );
		expect( sealed.startsWith( 'v1.' ) ).toBe( true );
		expect( box.open( sealed ) ).toBe( 'Correct-Horse-42' );
	} );

	it( 'uses a fresh IV each time', () => {
		expect( box.seal( 'same' ) ).not.toBe( box.seal( 'same' ) );
	} );

	it( 'refuses another secret, another purpose and a tampered ciphertext', () => {
		const sealed = box.seal( 'secret' );
		const otherSecret = new SecretBox(
			`whsec_${ Buffer.alloc( 32, 8 ).toString( 'base64' ) }`,
			'job-password-v1'
		);
		const otherPurpose = new SecretBox( SECRET, 'crm-tokens-v1' );
		const bytes = Buffer.from( sealed.slice( 3 ), 'base64' );
		const last = bytes.length - 1;
		bytes.writeUInt8( ( bytes.readUInt8( last ) + 1 ) % 256, last );
		expect( () => otherSecret.open( sealed ) ).toThrow( SecretBoxError );
		expect( () => otherPurpose.open( sealed ) ).toThrow( SecretBoxError );
		expect( () =>
			box.open( `v1.${ bytes.toString( 'base64' ) }` )
		).toThrow( SecretBoxError );
		expect( () => box.open( 'garbage' ) ).toThrow( SecretBoxError );
	} );
} );
