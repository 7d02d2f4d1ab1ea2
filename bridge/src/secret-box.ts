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

/** Sealed with the row as associated data. */
const FORMAT = 'v2';
/** Sealed before 0.2.0, without associated data: read once by `openLegacy()` and sealed again. */
const LEGACY_FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The associated data that binds a ciphertext to where it is stored: a ciphertext copied to
 * another row or column no longer opens. JSON, so no part can run into the next.
 * @param table  Table name.
 * @param key    The row's primary key, column by column.
 * @param column The column holding the ciphertext.
 */
export function rowContext(
	table: string,
	key: ReadonlyArray< string | number >,
	column: string
): string {
	return JSON.stringify( [ table, ...key, column ] );
}

/**
 * AES-256-GCM for values the bridge must keep on disk for a while (a generated password until
 * it reached the CRM, CRM tokens). The key is derived from the bridge secret with HKDF, so a
 * copy of the database alone does not reveal them, and each use gets its own key. Every
 * ciphertext is bound to its row ({@link rowContext}) as associated data. After a re-pair the
 * previous secret still opens what was sealed under it (`openAny` says so, and the caller seals
 * it again under the current one).
 */
export class SecretBox {
	private readonly keys = new Map< string, Buffer >();
	private readonly secrets: () => readonly string[];

	/**
	 * @param secrets The bridge secret, or the current secrets (current first).
	 * @param purpose Binds the key to one use.
	 */
	constructor(
		secrets: string | ( () => readonly string[] ),
		private readonly purpose: string
	) {
		this.secrets =
			typeof secrets === 'string' ? () => [ secrets ] : secrets;
	}

	/**
	 * @param plaintext The value.
	 * @param context   Where it will be stored ({@link rowContext}).
	 */
	seal( plaintext: string, context: string ): string {
		const [ current ] = this.secrets();
		if ( current === undefined ) {
			throw new SecretBoxError();
		}
		const iv = randomBytes( IV_BYTES );
		const cipher = createCipheriv( 'aes-256-gcm', this.key( current ), iv );
		cipher.setAAD( Buffer.from( context, 'utf8' ) );
		const ciphertext = Buffer.concat( [
			cipher.update( plaintext, 'utf8' ),
			cipher.final(),
		] );
		return `${ FORMAT }.${ Buffer.concat( [ iv, cipher.getAuthTag(), ciphertext ] ).toString( 'base64' ) }`;
	}

	/**
	 * @param sealed  What `seal()` returned.
	 * @param context Where it was read from; must be the context it was sealed for.
	 * @throws SecretBoxError Another secret, another row, tampered with, or a legacy value.
	 */
	open( sealed: string, context: string ): string {
		return this.openAny( sealed, context ).plaintext;
	}

	/**
	 * Opens with the current secret or an earlier one; `stale` says it should be sealed again.
	 * @param sealed  What `seal()` returned.
	 * @param context Where it was read from.
	 */
	openAny(
		sealed: string,
		context: string
	): { plaintext: string; stale: boolean } {
		return this.decrypt( sealed, FORMAT, context );
	}

	/** Whether a value was sealed before 0.2.0 (no associated data). */
	static isLegacy( sealed: string ): boolean {
		return sealed.startsWith( `${ LEGACY_FORMAT }.` );
	}

	/**
	 * Opens a value sealed before 0.2.0; only the one-time upgrade (sealed-rows.ts) calls it.
	 * @param sealed A `v1.` value.
	 */
	openLegacy( sealed: string ): string {
		return this.decrypt( sealed, LEGACY_FORMAT, null ).plaintext;
	}

	private decrypt(
		sealed: string,
		expectedFormat: string,
		context: string | null
	): { plaintext: string; stale: boolean } {
		const [ format, payload ] = sealed.split( '.', 2 );
		const bytes = Buffer.from( payload ?? '', 'base64' );
		if (
			format !== expectedFormat ||
			bytes.length < IV_BYTES + TAG_BYTES
		) {
			throw new SecretBoxError();
		}
		for ( const [ index, secret ] of this.secrets().entries() ) {
			const plaintext = this.openWith( secret, bytes, context );
			if ( plaintext !== null ) {
				return { plaintext, stale: index > 0 };
			}
		}
		throw new SecretBoxError();
	}

	private openWith(
		secret: string,
		bytes: Buffer,
		context: string | null
	): string | null {
		try {
			const decipher = createDecipheriv(
				'aes-256-gcm',
				this.key( secret ),
				bytes.subarray( 0, IV_BYTES )
			);
			if ( context !== null ) {
				decipher.setAAD( Buffer.from( context, 'utf8' ) );
			}
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

	/**
	 * The key of one secret for this purpose (HKDF-SHA256), derived once.
	 * @param secret A `whsec_…` secret.
	 */
	private key( secret: string ): Buffer {
		let key = this.keys.get( secret );
		if ( key === undefined ) {
			const secretBytes = Buffer.from(
				secret.replace( /^whsec_/, '' ),
				'base64'
			);
			key = Buffer.from(
				hkdfSync(
					'sha256',
					secretBytes,
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
