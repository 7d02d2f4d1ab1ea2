import {
	CrmError,
	NotConnectedError,
	PermanentError,
	TransientError,
	UnauthorizedError,
} from './errors';
import { encodeForm } from './form';
import type { CrmTransport } from './http';
import type { CrmLogger, TokenSet, TokenStore } from './types';

export interface OAuthClientCredentials {
	portalUrl: string;
	clientId: string;
	clientSecret: string;
}

function parseTokenAnswer( body: unknown, now: number ): TokenSet {
	const answer = (
		typeof body === 'object' && body !== null ? body : {}
	) as Record< string, unknown >;
	const {
		access_token: accessToken,
		refresh_token: refreshToken,
		expires_in: expiresIn,
	} = answer;
	if (
		typeof accessToken !== 'string' ||
		typeof refreshToken !== 'string' ||
		typeof expiresIn !== 'number'
	) {
		throw new TransientError(
			'POST oauth/token: the answer lacks access_token, refresh_token or expires_in',
			'invalid_response',
			200
		);
	}
	return { accessToken, refreshToken, expiresAt: now + expiresIn * 1000 };
}

/** `POST {portal}/oauth/token`, form-encoded, for both grants. */
export class TokenEndpoint {
	constructor(
		private readonly transport: CrmTransport,
		private readonly credentials: OAuthClientCredentials,
		private readonly now: () => number = Date.now
	) {}

	exchangeCode( code: string, redirectUri: string ): Promise< TokenSet > {
		return this.request( {
			grant_type: 'authorization_code',
			code,
			redirect_uri: redirectUri,
		} );
	}

	refresh( refreshToken: string ): Promise< TokenSet > {
		return this.request( {
			grant_type: 'refresh_token',
			refresh_token: refreshToken,
		} );
	}

	private async request(
		grant: Record< string, string >
	): Promise< TokenSet > {
		const response = await this.transport.send( {
			method: 'POST',
			url: `${ this.credentials.portalUrl }/oauth/token`,
			headers: {
				accept: 'application/json',
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: encodeForm( {
				...grant,
				client_id: this.credentials.clientId,
				client_secret: this.credentials.clientSecret,
			} ),
			// A lost answer may still have rotated the refresh token; only retry what surely did nothing.
			idempotent: false,
			label: 'oauth/token',
		} );
		return parseTokenAnswer( response.body, this.now() );
	}
}

/** Whether the token endpoint refused the grant itself (as opposed to being unreachable). */
function isGrantRejected( error: unknown ): boolean {
	return (
		error instanceof UnauthorizedError || error instanceof PermanentError
	);
}

/**
 * The access token for API calls: loaded from the store, refreshed shortly before it expires or
 * after the CRM refused it, with at most one refresh in flight. The rotated pair is saved before
 * anyone uses it, because the old refresh token is dead the moment the CRM answers.
 */
export class OAuthSession {
	private refreshing: Promise< TokenSet > | null = null;

	constructor(
		private readonly endpoint: TokenEndpoint,
		private readonly store: TokenStore,
		private readonly refreshSkewMs: number,
		private readonly logger: CrmLogger,
		private readonly now: () => number = Date.now
	) {}

	async connect( code: string, redirectUri: string ): Promise< void > {
		let tokens: TokenSet;
		try {
			tokens = await this.endpoint.exchangeCode( code, redirectUri );
		} catch ( error ) {
			if ( isGrantRejected( error ) ) {
				throw new UnauthorizedError(
					`The CRM refused the authorization code: ${ ( error as CrmError ).message }`
				);
			}
			throw error;
		}
		await this.store.save( tokens );
		this.logger( 'crm.connected', {
			expires_at: new Date( tokens.expiresAt ).toISOString(),
		} );
	}

	/** A token that is valid for at least `refreshSkewMs` more, refreshing it if needed. */
	async accessToken(): Promise< string > {
		const tokens = await this.store.load();
		if ( ! tokens ) {
			throw new NotConnectedError(
				'The bridge is not connected to the CRM.'
			);
		}
		if ( tokens.expiresAt - this.refreshSkewMs > this.now() ) {
			return tokens.accessToken;
		}
		try {
			return ( await this.refresh( tokens ) ).accessToken;
		} catch ( error ) {
			// The early refresh is a courtesy: while the old token still works, a portal hiccup must not fail the call.
			const stillValid = tokens.expiresAt > this.now();
			if ( stillValid && error instanceof CrmError && error.retryable ) {
				return tokens.accessToken;
			}
			throw error;
		}
	}

	/**
	 * After a 401 for `rejected`: refresh, unless another caller already replaced that token while
	 * this request was in flight, in which case the new one is used as is.
	 */
	async accessTokenAfterRejection( rejected: string ): Promise< string > {
		const current = await this.store.load();
		if ( current && current.accessToken !== rejected ) {
			return current.accessToken;
		}
		return ( await this.refresh( current ) ).accessToken;
	}

	/**
	 * One refresh in flight in this process, and, with a store shared by several bridges, in
	 * all of them (the store's `exclusively`).
	 * @param seen The tokens found stale or refused.
	 */
	private refresh( seen: TokenSet | null ): Promise< TokenSet > {
		if ( ! this.refreshing ) {
			const work = () => this.refreshNow( seen );
			this.refreshing = (
				this.store.exclusively ? this.store.exclusively( work ) : work()
			).finally( () => {
				this.refreshing = null;
			} );
		}
		return this.refreshing;
	}

	private async refreshNow( seen: TokenSet | null ): Promise< TokenSet > {
		const current = await this.store.load();
		if ( ! current ) {
			throw new NotConnectedError(
				'The bridge is not connected to the CRM.'
			);
		}
		if ( seen !== null && current.accessToken !== seen.accessToken ) {
			// Another bridge refreshed while this one waited for its turn: use its tokens.
			return current;
		}
		let next: TokenSet;
		try {
			next = await this.endpoint.refresh( current.refreshToken );
		} catch ( error ) {
			if ( isGrantRejected( error ) ) {
				// The refresh token is dead; keeping it would only repeat the failure on every job.
				await this.store.save( null );
				this.logger( 'crm.disconnected', {
					reason: ( error as CrmError ).code,
					status: ( error as CrmError ).status ?? null,
				} );
				throw new NotConnectedError(
					'The CRM refused to refresh the tokens; connect the CRM again.',
					( error as CrmError ).status
				);
			}
			throw error;
		}
		await this.store.save( next );
		this.logger( 'crm.token_refreshed', {
			expires_at: new Date( next.expiresAt ).toISOString(),
		} );
		return next;
	}
}
