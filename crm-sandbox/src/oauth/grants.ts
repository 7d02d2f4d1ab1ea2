import { randomBytes, timingSafeEqual } from 'node:crypto';

export const DEMO_CLIENT = {
	id: 'pulse-sync-demo',
	secret: 'demo-secret',
} as const;

/** Laravel Passport keeps authorization codes for ten minutes. */
const CODE_TTL_MS = 10 * 60 * 1000;
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

export class OAuthError extends Error {
	constructor(
		readonly status: number,
		readonly error: string,
		readonly description: string
	) {
		super( description );
	}
}

export interface IssuedTokens {
	token_type: 'Bearer';
	expires_in: number;
	access_token: string;
	refresh_token: string;
}

interface AuthorizationCode {
	clientId: string;
	redirectUri: string;
	expiresAt: number;
}

interface AccessToken {
	clientId: string;
	expiresAt: number;
}

interface RefreshToken {
	clientId: string;
	accessToken: string;
}

export interface GrantsSnapshot {
	access_tokens: Array< [ string, AccessToken ] >;
	refresh_tokens: Array< [ string, RefreshToken ] >;
}

function secretsEqual( given: string, expected: string ): boolean {
	const a = Buffer.from( given );
	const b = Buffer.from( expected );
	return a.length === b.length && timingSafeEqual( a, b );
}

function newSecret(): string {
	return randomBytes( 32 ).toString( 'hex' );
}

/** Any loopback redirect is allowed for the demo client, so every local stack can connect. */
export function isAllowedRedirectUri( uri: string ): boolean {
	let parsed: URL;
	try {
		parsed = new URL( uri );
	} catch {
		return false;
	}
	return (
		parsed.protocol === 'http:' &&
		( parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost' )
	);
}

/**
 * The OAuth authorization server's memory: codes, access tokens and refresh tokens. Refresh
 * tokens rotate like Passport's: using one revokes it and the access token it came with.
 */
export class GrantStore {
	private codes = new Map< string, AuthorizationCode >();
	private accessTokens = new Map< string, AccessToken >();
	private refreshTokens = new Map< string, RefreshToken >();

	constructor(
		public tokenTtlSeconds: number = DEFAULT_TOKEN_TTL_SECONDS,
		private readonly now: () => number = Date.now
	) {}

	/** Checks client id and, when given, the secret; throws `invalid_client` as Passport does. */
	authenticateClient( clientId: string, clientSecret?: string ): void {
		const knownClient = clientId === DEMO_CLIENT.id;
		const secretOk =
			clientSecret === undefined ||
			secretsEqual( clientSecret, DEMO_CLIENT.secret );
		if ( ! knownClient || ! secretOk ) {
			throw new OAuthError(
				401,
				'invalid_client',
				'Client authentication failed'
			);
		}
	}

	/** Checks an authorization request before the consent page is shown. */
	assertAuthorizationRequest( clientId: string, redirectUri: string ): void {
		this.authenticateClient( clientId );
		if ( ! isAllowedRedirectUri( redirectUri ) ) {
			throw new OAuthError(
				400,
				'invalid_request',
				'The redirect_uri is not allowed for this client.'
			);
		}
	}

	issueCode( clientId: string, redirectUri: string ): string {
		this.assertAuthorizationRequest( clientId, redirectUri );
		const code = newSecret();
		this.codes.set( code, {
			clientId,
			redirectUri,
			expiresAt: this.now() + CODE_TTL_MS,
		} );
		return code;
	}

	exchangeCode(
		clientId: string,
		clientSecret: string,
		code: string,
		redirectUri: string
	): IssuedTokens {
		this.authenticateClient( clientId, clientSecret );
		const grant = this.codes.get( code );
		// A code works once: delete it before any other check so a replay always fails.
		this.codes.delete( code );
		if (
			! grant ||
			grant.expiresAt <= this.now() ||
			grant.clientId !== clientId
		) {
			throw new OAuthError(
				400,
				'invalid_grant',
				'The authorization code is invalid, expired or already used.'
			);
		}
		if ( grant.redirectUri !== redirectUri ) {
			throw new OAuthError(
				400,
				'invalid_grant',
				'The redirect_uri does not match the one of the authorization request.'
			);
		}
		return this.issueTokens( clientId );
	}

	refresh(
		clientId: string,
		clientSecret: string,
		refreshToken: string
	): IssuedTokens {
		this.authenticateClient( clientId, clientSecret );
		const grant = this.refreshTokens.get( refreshToken );
		if ( ! grant || grant.clientId !== clientId ) {
			throw new OAuthError(
				400,
				'invalid_grant',
				'The refresh token is invalid.'
			);
		}
		this.refreshTokens.delete( refreshToken );
		this.accessTokens.delete( grant.accessToken );
		return this.issueTokens( clientId );
	}

	isValidAccessToken( token: string ): boolean {
		const grant = this.accessTokens.get( token );
		return grant !== undefined && grant.expiresAt > this.now();
	}

	/** Makes every access token expired now; refresh tokens keep working. */
	expireAccessTokens(): number {
		for ( const grant of this.accessTokens.values() ) {
			grant.expiresAt = this.now();
		}
		return this.accessTokens.size;
	}

	/** Forgets every token and code, as if the user revoked the app. */
	revokeAll(): void {
		this.codes.clear();
		this.accessTokens.clear();
		this.refreshTokens.clear();
	}

	snapshot(): GrantsSnapshot {
		return {
			access_tokens: [ ...this.accessTokens ],
			refresh_tokens: [ ...this.refreshTokens ],
		};
	}

	restore( snapshot: GrantsSnapshot ): void {
		this.revokeAll();
		this.accessTokens = new Map( snapshot.access_tokens );
		this.refreshTokens = new Map( snapshot.refresh_tokens );
	}

	private issueTokens( clientId: string ): IssuedTokens {
		const accessToken = newSecret();
		const refreshToken = newSecret();
		this.accessTokens.set( accessToken, {
			clientId,
			expiresAt: this.now() + this.tokenTtlSeconds * 1000,
		} );
		this.refreshTokens.set( refreshToken, { clientId, accessToken } );
		return {
			token_type: 'Bearer',
			expires_in: this.tokenTtlSeconds,
			access_token: accessToken,
			refresh_token: refreshToken,
		};
	}
}
