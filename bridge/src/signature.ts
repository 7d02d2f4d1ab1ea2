import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { HttpError } from './errors';

/** Thrown for a request whose Standard Webhooks signature is missing, stale or wrong. */
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

type IncomingHeaders = Record< string, string | string[] | undefined >;

/**
 * Signs and verifies the plugin ⇄ bridge calls with the Standard Webhooks scheme (see
 * docs/architecture.md, "Signing"): the `standardwebhooks` package does the HMAC, the ±300 s
 * tolerance and the constant-time comparison.
 */
export class Signer {
	private readonly webhook: Webhook;

	constructor( secret: string ) {
		this.webhook = new Webhook( secret );
	}

	/**
	 * Headers for an outgoing request; a fresh `msg_<32 hex>` id unless one is given.
	 * @param body The exact body that will be sent ("" for a GET).
	 * @param id   The webhook-id.
	 * @param now  The signing time.
	 */
	sign(
		body: string,
		id: string = newMessageId(),
		now: Date = new Date()
	): SignedHeaders {
		return {
			'webhook-id': id,
			'webhook-timestamp': String( Math.floor( now.getTime() / 1000 ) ),
			'webhook-signature': this.webhook.sign( id, now, body ),
		};
	}

	/**
	 * Returns the verified `webhook-id`; throws SignatureError otherwise.
	 * @param body    The exact body received.
	 * @param headers The request headers.
	 */
	verify( body: string, headers: IncomingHeaders ): string {
		const flat: Record< string, string > = {};
		for ( const name of [
			'webhook-id',
			'webhook-timestamp',
			'webhook-signature',
		] ) {
			const value = headers[ name ];
			if ( typeof value !== 'string' || value === '' ) {
				throw new SignatureError( `header ${ name } is missing` );
			}
			flat[ name ] = value;
		}
		try {
			this.webhook.verify( body, flat, { jsonParse: false } );
		} catch ( error ) {
			if ( error instanceof WebhookVerificationError ) {
				throw new SignatureError( error.message.toLowerCase() );
			}
			throw error;
		}
		return flat[ 'webhook-id' ] as string;
	}
}

export function newMessageId(): string {
	return `msg_${ randomBytes( 16 ).toString( 'hex' ) }`;
}
