import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { HttpError } from './errors';
import { ReplayGuard } from './replay-guard';
import {
	signedContent,
	type Direction,
	type SignedRequest,
} from './signed-content';

export type { Direction, SignedRequest } from './signed-content';

/** Thrown for a request whose Standard Webhooks signature is missing, stale, wrong or replayed. */
export class SignatureError extends HttpError {
	constructor( reason: string ) {
		super(
			401,
			'invalid_signature',
			`Request signature rejected: ${ reason }.`
		);
		this.name = 'SignatureError';
	}
}

export type SignedHeaders = {
	'webhook-id': string;
	'webhook-timestamp': string;
	'webhook-signature': string;
};

/** What checkHeaders() found well-formed. */
export interface CheckedHeaders {
	id: string;
	timestamp: number;
	/** The base64 parts of the `v1,…` signatures. */
	signatures: string[];
}

type IncomingHeaders = Record< string, string | string[] | undefined >;

/** The current secrets, current first; a function when they can change while running. */
export type SecretList = readonly string[] | ( () => readonly string[] );

/** Which side this signer is: it signs in its own direction and verifies the other one. */
export type SignerRole = 'bridge' | 'plugin';

/** How far a timestamp may be from our clock, either way (the Standard Webhooks default). */
export const TOLERANCE_SECONDS = 300;

const MESSAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const TIMESTAMP = /^\d{1,12}$/;
const VERSIONED_SIGNATURE = /^(v\d+[a-z]*),([A-Za-z0-9+/]+={0,2})$/;
// Two during a rotation; a few more leave room for other schemes, dozens are an attack.
const MAX_SIGNATURES = 8;

/**
 * Signs and verifies the plugin ⇄ bridge calls (docs/architecture.md, "Signing"): Standard
 * Webhooks headers, the HMAC made by the `standardwebhooks` package over `signedContent()`, with
 * one key per direction derived from each secret. Verification accepts a match with any secret,
 * refuses a timestamp more than 300 s away and a `webhook-id` it accepted before.
 */
export class Signer {
	private readonly replays = new ReplayGuard();
	private readonly webhooks = new Map< string, Webhook >();
	private readonly signs: Direction;
	private readonly verifies: Direction;

	constructor(
		private readonly secrets: SecretList,
		role: SignerRole
	) {
		this.signs =
			role === 'bridge' ? 'bridge-to-plugin' : 'plugin-to-bridge';
		this.verifies =
			role === 'bridge' ? 'plugin-to-bridge' : 'bridge-to-plugin';
	}

	/**
	 * Headers for an outgoing request: one `v1,…` signature per secret.
	 * @param request The request exactly as it will be sent.
	 * @param id      The webhook-id (a fresh `msg_<32 hex>` unless given).
	 * @param now     The signing time.
	 */
	sign(
		request: SignedRequest,
		id: string = newMessageId(),
		now: Date = new Date()
	): SignedHeaders {
		const content = signedContent( this.signs, request );
		return {
			'webhook-id': id,
			'webhook-timestamp': String( Math.floor( now.getTime() / 1000 ) ),
			'webhook-signature': this.currentSecrets()
				.map( ( secret ) =>
					this.webhook( this.signs, secret ).sign( id, now, content )
				)
				.join( ' ' ),
		};
	}

	/**
	 * The checks that need no body: the three headers present and well-formed, the timestamp
	 * within the tolerance, the id not seen before. Run before the body is read.
	 * @param headers The request headers.
	 * @param now     The current time.
	 */
	checkHeaders(
		headers: IncomingHeaders,
		now: Date = new Date()
	): CheckedHeaders {
		const id = header( headers, 'webhook-id' );
		const timestamp = header( headers, 'webhook-timestamp' );
		const signature = header( headers, 'webhook-signature' );
		if ( ! MESSAGE_ID.test( id ) ) {
			throw new SignatureError( 'header webhook-id is malformed' );
		}
		if ( ! TIMESTAMP.test( timestamp ) ) {
			throw new SignatureError( 'header webhook-timestamp is malformed' );
		}
		const seconds = Number( timestamp );
		if ( Math.abs( now.getTime() / 1000 - seconds ) > TOLERANCE_SECONDS ) {
			throw new SignatureError(
				'the webhook-timestamp is too far from the current time'
			);
		}
		const parts = signature.split( ' ' );
		if ( parts.length > MAX_SIGNATURES ) {
			throw new SignatureError( 'header webhook-signature is malformed' );
		}
		const signatures: string[] = [];
		for ( const part of parts ) {
			const match = VERSIONED_SIGNATURE.exec( part );
			if ( ! match ) {
				throw new SignatureError(
					'header webhook-signature is malformed'
				);
			}
			if ( match[ 1 ] === 'v1' ) {
				signatures.push( match[ 2 ] as string );
			}
		}
		if ( signatures.length === 0 ) {
			throw new SignatureError( 'there is no v1 signature' );
		}
		if ( this.replays.has( id, now.getTime() ) ) {
			throw new SignatureError( 'this webhook-id was already used' );
		}
		return { id, timestamp: seconds, signatures };
	}

	/**
	 * Returns the verified `webhook-id` and remembers it; throws SignatureError otherwise.
	 * @param request The request as received.
	 * @param headers The request headers.
	 * @param now     The current time.
	 */
	verify(
		request: SignedRequest,
		headers: IncomingHeaders,
		now: Date = new Date()
	): string {
		const checked = this.checkHeaders( headers, now );
		const content = signedContent( this.verifies, request );
		const signedAt = new Date( checked.timestamp * 1000 );
		const matches = this.currentSecrets().some( ( secret ) => {
			const expected = Buffer.from(
				this.webhook( this.verifies, secret )
					.sign( checked.id, signedAt, content )
					.slice( 'v1,'.length )
			);
			return checked.signatures.some( ( candidate ) => {
				const given = Buffer.from( candidate );
				return (
					given.length === expected.length &&
					timingSafeEqual( given, expected )
				);
			} );
		} );
		if ( ! matches ) {
			throw new SignatureError( 'no matching signature' );
		}
		const until = ( checked.timestamp + TOLERANCE_SECONDS + 1 ) * 1000;
		if ( ! this.replays.claim( checked.id, until, now.getTime() ) ) {
			throw new SignatureError( 'this webhook-id was already used' );
		}
		return checked.id;
	}

	private currentSecrets(): readonly string[] {
		const secrets =
			typeof this.secrets === 'function' ? this.secrets() : this.secrets;
		if ( secrets.length === 0 ) {
			throw new Error( 'The signer has no secret.' );
		}
		return secrets;
	}

	/**
	 * The HMAC of one direction: key = HMAC-SHA256(the secret's bytes, "pulse-sync/<direction>").
	 * @param direction Who signs.
	 * @param secret    A `whsec_…` secret.
	 */
	private webhook( direction: Direction, secret: string ): Webhook {
		const cacheKey = `${ direction } ${ secret }`;
		let webhook = this.webhooks.get( cacheKey );
		if ( webhook === undefined ) {
			const master = Buffer.from(
				secret.replace( /^whsec_/, '' ),
				'base64'
			);
			webhook = new Webhook(
				createHmac( 'sha256', master )
					.update( `pulse-sync/${ direction }` )
					.digest(),
				{ format: 'raw' }
			);
			this.webhooks.set( cacheKey, webhook );
		}
		return webhook;
	}
}

function header( headers: IncomingHeaders, name: string ): string {
	const value = headers[ name ];
	if ( typeof value !== 'string' || value === '' ) {
		throw new SignatureError( `header ${ name } is missing` );
	}
	return value;
}

export function newMessageId(): string {
	return `msg_${ randomBytes( 16 ).toString( 'hex' ) }`;
}
