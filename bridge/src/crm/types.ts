import type { CrmPacer } from './pacer';

/** A contact as `GET contacts/{id}` returns it: flat, keyed by CRM field key. */
export interface CrmContact {
	id: number;
	email?: string;
	[ key: string ]: unknown;
}

export interface CrmTag {
	id: number;
	name: string;
}

export interface CrmField {
	key: string;
	label: string;
}

export interface TokenSet {
	accessToken: string;
	refreshToken: string;
	/** Epoch milliseconds. */
	expiresAt: number;
}

/**
 * Where the tokens live (the bridge's SQLite file, answering at once, or PostgreSQL, shared by
 * several bridges). `save` must be atomic: the CRM rotates refresh tokens, so a half-saved pair
 * would disconnect the site.
 */
export interface TokenStore {
	load: () => TokenSet | null | Promise< TokenSet | null >;
	save: ( tokens: TokenSet | null ) => void | Promise< void >;
	/**
	 * Runs a refresh while no other process refreshes these tokens, its loads and saves
	 * included; absent when only one process uses the store.
	 */
	exclusively?: < T >( work: () => Promise< T > ) => Promise< T >;
}

/** Structured events for the bridge's log; never carries a token, secret or password. */
export type CrmLogger = (
	event: string,
	data: Record< string, unknown >
) => void;

export interface CrmConfig {
	/** The site owner's account URL, e.g. `https://acme.thepulsespot.com/`. */
	accountUrl: string;
	/** OAuth portal; default derived from the account URL (see `defaultPortalUrl`). */
	portalUrl?: string;
	clientId: string;
	clientSecret: string;
	/** Per request attempt, including reading the body; default 15 000. */
	timeoutMs?: number;
	/** Retries after the first attempt for transient failures; default 3. */
	maxRetries?: number;
	/** Requests in flight at once, shared by every caller of this client; default 64. */
	concurrency?: number;
	/**
	 * Most request starts per second, whatever the CRM accepts; default none (the pace adapts to
	 * the CRM's answers, crm/aimd.ts).
	 */
	maxRequestsPerSecond?: number | null;
	/**
	 * The account's pacer, when the caller keeps one for the account across clients (a client
	 * rebuilt for new credentials of the same account keeps its pace); else the client makes its
	 * own from `concurrency` and `maxRequestsPerSecond`.
	 */
	pacer?: CrmPacer;
	/** First backoff step; later ones double, with jitter; default 500. */
	retryBaseDelayMs?: number;
	/** Longest wait between attempts; a longer `Retry-After` is handed to the caller; default 30 000. */
	retryMaxDelayMs?: number;
	/** Refresh this long before the access token expires; default 60 000. */
	refreshSkewMs?: number;
	logger?: CrmLogger;
}
