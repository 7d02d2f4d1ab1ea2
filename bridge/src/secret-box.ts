import {
	createCipheriv,
	createDecipheriv,
	hkdfSync,
	randomBytes,
} from 'node:crypto';

/** A stored ciphertext could not be opened (other secret, or tampered with). */
export class SecretBoxError extends Error {
	constructor() {
		super(
			'Stored secret could not be decrypted (was the bridge secret changed?).'
		);
		this.name = 'SecretBoxError';
	}
}

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for values the bridge must keep on disk for a while (a generated password until
 * it reached the CRM, CRM tokens). The key is derived from the bridge secret with HKDF, so a
 * copy of the database alone does not reveal them, and each use gets its own key.
 */
export class SecretBox {
	private readonly key: Buffer;

	constructor( bridgeSecret: string, purpose: string ) {
		const secretBytes = Buffer.from(
			bridgeSecret.replace( /^whsec_/, '' ),
			'base64'
		);
		this.key = Buffer.from(
			hkdfSync( 'sha256', secretBytes, 'pulse-sync-bridge', purpose, 32 )
		);
	}

	seal( plaintext: string ): string {
		const iv = randomBytes( IV_BYTES );
		const cipher = createCipheriv( 'aes-256-gcm', this.key, iv );
		const ciphertext = Buffer.concat( [
			cipher.update( plaintext, 'utf8' ),
			cipher.final(),
		] );
		return `${ FORMAT }.${ Buffer.concat( [ iv, cipher.getAuthTag(), ciphertext ] ).toString( 'base64' ) }`;
	}

	open( sealed: string ): string {
		const [ format, payload ] = sealed.split( '.', 2 );
		const bytes = Buffer.from( payload ?? '', 'base64' );
		if ( format !== FORMAT || bytes.length < IV_BYTES + TAG_BYTES ) {
			throw new SecretBoxError();
		}
		try {
			const decipher = createDecipheriv(
				'aes-256-gcm',
				this.key,
				bytes.subarray( 0, IV_BYTES )
			);
			decipher.setAuthTag(
				bytes.subarray( IV_BYTES, IV_BYTES + TAG_BYTES )
			);
			return Buffer.concat( [
				decipher.update( bytes.subarray( IV_BYTES + TAG_BYTES ) ),
				decipher.final(),
			] ).toString( 'utf8' );
		} catch {
			throw new SecretBoxError();
		}
	}
}
