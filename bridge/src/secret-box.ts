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
	private readonly keys = new Map< string, Buffer >();
	private readonly secrets: () => readonly string[];

	/**
	 * @param secrets The bridge secret, or the current secrets (current first): a value sealed
	 *                before a re-pair still opens with the previous one (see `openAny`).
	 * @param purpose Binds the key to one use.
	 */
	constructor(
		secrets: string | ( () => readonly string[] ),
		private readonly purpose: string
	) {
		this.secrets =
			typeof secrets === 'string' ? () => [ secrets ] : secrets;
	}

	seal( plaintext: string ): string {
		const [ current ] = this.secrets();
		if ( current === undefined ) {
			throw new SecretBoxError();
		}
		const iv = randomBytes( IV_BYTES );
		const cipher = createCipheriv( 'aes-256-gcm', this.key( current ), iv );
		const ciphertext = Buffer.concat( [
			cipher.update( plaintext, 'utf8' ),
			cipher.final(),
		] );
		return `${ FORMAT }.${ Buffer.concat( [ iv, cipher.getAuthTag(), ciphertext ] ).toString( 'base64' ) }`;
	}

	open( sealed: string ): string {
		return this.openAny( sealed ).plaintext;
	}

	/**
	 * Opens with the current secret or an earlier one; `stale` says it should be sealed again.
	 * @param sealed A value from `seal`.
	 */
	openAny( sealed: string ): { plaintext: string; stale: boolean } {
		const [ format, payload ] = sealed.split( '.', 2 );
		const bytes = Buffer.from( payload ?? '', 'base64' );
		if ( format !== FORMAT || bytes.length < IV_BYTES + TAG_BYTES ) {
			throw new SecretBoxError();
		}
		const secrets = this.secrets();
		for ( const [ index, secret ] of secrets.entries() ) {
			const plaintext = this.openWith( secret, bytes );
			if ( plaintext !== null ) {
				return { plaintext, stale: index > 0 };
			}
		}
		throw new SecretBoxError();
	}

	private openWith( secret: string, bytes: Buffer ): string | null {
		try {
			const decipher = createDecipheriv(
				'aes-256-gcm',
				this.key( secret ),
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
			return null;
		}
	}

	private key( secret: string ): Buffer {
		let key = this.keys.get( secret );
		if ( key === undefined ) {
			key = Buffer.from(
				hkdfSync(
					'sha256',
					Buffer.from( secret.replace( /^whsec_/, '' ), 'base64' ),
					'pulse-sync-bridge',
					this.purpose,
					32
				)
			);
			this.keys.set( secret, key );
		}
		return key;
	}
}
