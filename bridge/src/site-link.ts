import type { BridgeConfig } from './config';
import {
	SignatureError,
	Signer,
	type CheckedHeaders,
	type SignedHeaders,
	type SignedRequest,
} from './signature';
import { WordPressError } from './wordpress/client';

type IncomingHeaders = Record< string, string | string[] | undefined >;

/** What the HTTP server and the WordPress client need to sign and verify. */
export interface RequestSigner {
	sign: ( request: SignedRequest ) => SignedHeaders;
	checkHeaders: ( headers: IncomingHeaders ) => CheckedHeaders;
	verify: ( request: SignedRequest, headers: IncomingHeaders ) => string;
}

export type SiteLinkConfig = Pick<
	BridgeConfig,
	'siteUrl' | 'secrets' | 'previousSecretUntil'
>;

/**
 * Which site the bridge serves and with which secrets, changeable while the bridge runs: a
 * re-pair (config.json rewritten by `pulse-sync-bridge pair`) takes effect without a restart.
 * Outgoing requests are signed with the current secret; incoming ones are accepted with the
 * current one, and with the previous one until its overlap ends (docs/architecture.md,
 * "Pairing"). Until the bridge is paired, signed requests are refused both ways.
 */
export class SiteLink implements RequestSigner {
	private config: SiteLinkConfig;
	private readonly outgoing: Signer;
	// One verifier for the life of the process, so the webhook-ids it has seen outlive a re-pair.
	private readonly incoming: Signer;

	constructor(
		config: SiteLinkConfig,
		private readonly now: () => number = Date.now
	) {
		this.config = config;
		this.outgoing = new Signer(
			() => this.config.secrets.slice( 0, 1 ),
			'bridge'
		);
		this.incoming = new Signer( () => this.acceptedSecrets(), 'bridge' );
	}

	update( config: SiteLinkConfig ): void {
		this.config = config;
	}

	isPaired(): boolean {
		return this.config.siteUrl !== null && this.config.secrets.length > 0;
	}

	siteUrl(): string {
		if ( this.config.siteUrl === null ) {
			throw notPaired();
		}
		return this.config.siteUrl;
	}

	/** Keys for data sealed on disk: the current secret, then the previous one (see SecretBox). */
	storageSecrets(): readonly string[] {
		return this.config.secrets;
	}

	/**
	 * Signed with the current secret (the site accepts it at once after a pairing).
	 * @param request The request exactly as it will be sent.
	 */
	sign( request: SignedRequest ): SignedHeaders {
		if ( this.config.secrets.length === 0 ) {
			throw notPaired();
		}
		return this.outgoing.sign( request );
	}

	checkHeaders( headers: IncomingHeaders ): CheckedHeaders {
		this.assertPairedForIncoming();
		return this.incoming.checkHeaders( headers );
	}

	verify( request: SignedRequest, headers: IncomingHeaders ): string {
		this.assertPairedForIncoming();
		return this.incoming.verify( request, headers );
	}

	private assertPairedForIncoming(): void {
		if ( this.acceptedSecrets().length === 0 ) {
			throw new SignatureError( 'the bridge is not paired with a site' );
		}
	}

	private acceptedSecrets(): string[] {
		const [ current, previous ] = this.config.secrets;
		const until = this.config.previousSecretUntil;
		return [
			...( current === undefined ? [] : [ current ] ),
			...( previous !== undefined && until !== null && this.now() < until
				? [ previous ]
				: [] ),
		];
	}
}

function notPaired(): WordPressError {
	return new WordPressError(
		'bridge_not_paired',
		'The bridge is not paired with a site yet: run `pulse-sync-bridge pair <site-url> --code CODE`.',
		true
	);
}
