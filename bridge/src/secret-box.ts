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
 * ciphertext is bound to its row ({@link rowContext}) as associated data.
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

	/**
	 * @param plaintext The value.
	 * @param context   Where it will be stored ({@link rowContext}).
	 */
	seal( plaintext: string, context: string ): string {
		const iv = randomBytes( IV_BYTES );
		const cipher = createCipheriv( 'aes-256-gcm', this.key, iv );
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
		return this.decrypt( sealed, LEGACY_FORMAT, null );
	}

	private decrypt(
		sealed: string,
		expectedFormat: string,
		context: string | null
	): string {
		const [ format, payload ] = sealed.split( '.', 2 );
		const bytes = Buffer.from( payload ?? '', 'base64' );
		if (
			format !== expectedFormat ||
			bytes.length < IV_BYTES + TAG_BYTES
		) {
			throw new SecretBoxError();
		}
		try {
			const decipher = createDecipheriv(
				'aes-256-gcm',
				this.key,
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
			throw new SecretBoxError();
		}
	}
}
