import type { BridgeConfig } from './config';
import { SignatureError, Signer, type SignedHeaders } from './signature';
import { WordPressError } from './wordpress/client';

type IncomingHeaders = Record< string, string | string[] | undefined >;

/** What the HTTP server and the WordPress client need to sign and verify. */
export interface RequestSigner {
	sign: ( body: string ) => SignedHeaders;
	verify: ( body: string, headers: IncomingHeaders ) => string;
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
	private readonly signers = new Map< string, Signer >();

	constructor(
		config: SiteLinkConfig,
		private readonly now: () => number = Date.now
	) {
		this.config = config;
	}

	update( config: SiteLinkConfig ): void {
		this.config = config;
		for ( const secret of this.signers.keys() ) {
			if ( ! config.secrets.includes( secret ) ) {
				this.signers.delete( secret );
			}
		}
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

	sign( body: string ): SignedHeaders {
		const [ current ] = this.config.secrets;
		if ( current === undefined ) {
			throw notPaired();
		}
		return this.signer( current ).sign( body );
	}

	verify( body: string, headers: IncomingHeaders ): string {
		const accepted = this.acceptedSecrets();
		if ( accepted.length === 0 ) {
			throw new SignatureError( 'the bridge is not paired with a site' );
		}
		let first: unknown = null;
		for ( const secret of accepted ) {
			try {
				return this.signer( secret ).verify( body, headers );
			} catch ( error ) {
				if ( ! ( error instanceof SignatureError ) ) {
					throw error;
				}
				first ??= error;
			}
		}
		throw first;
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

	private signer( secret: string ): Signer {
		let found = this.signers.get( secret );
		if ( found === undefined ) {
			found = new Signer( secret );
			this.signers.set( secret, found );
		}
		return found;
	}
}

function notPaired(): WordPressError {
	return new WordPressError(
		'bridge_not_paired',
		'The bridge is not paired with a site yet: run `pulse-sync-bridge pair <site-url> --code CODE`.',
		true
	);
}
