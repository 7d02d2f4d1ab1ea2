import { setTimeout as sleep } from 'node:timers/promises';
import {
	ContactNotFoundError,
	CrmError,
	PermanentError,
	RateLimitedError,
	TransientError,
	UnauthorizedError,
} from './errors';
import type { RequestLimiter } from './limiter';
import type { CrmLogger } from './types';

export interface HttpRequest {
	method: 'GET' | 'POST' | 'PUT';
	url: string;
	headers: Record< string, string >;
	body?: string;
	/**
	 * Whether sending it twice is harmless. Creating a contact is not: after a timeout or a 5xx we
	 * cannot know whether the CRM created it, so only answers that prove nothing happened (429, a
	 * refused connection) are retried.
	 */
	idempotent: boolean;
	/** The path for logs and messages: no host, no query, nothing secret. */
	label: string;
}

export interface HttpResponse {
	status: number;
	body: unknown;
}

export interface TransportOptions {
	timeoutMs: number;
	maxRetries: number;
	retryBaseDelayMs: number;
	retryMaxDelayMs: number;
	logger: CrmLogger;
}

/** `Retry-After` is either seconds or an HTTP date. */
export function parseRetryAfter(
	header: string | null,
	now: number = Date.now()
): number | null {
	if ( header === null || header.trim() === '' ) {
		return null;
	}
	if ( /^\d+$/.test( header.trim() ) ) {
		return Number( header.trim() ) * 1000;
	}
	const date = Date.parse( header );
	return Number.isNaN( date ) ? null : Math.max( 0, date - now );
}

/** The CRM's own words from an error body: `error_description`, `error` or `message`. */
function crmMessage( body: unknown ): string | null {
	if ( typeof body !== 'object' || body === null ) {
		return null;
	}
	const record = body as Record< string, unknown >;
	for ( const key of [ 'error_description', 'error', 'message' ] ) {
		if ( typeof record[ key ] === 'string' && record[ key ] !== '' ) {
			return record[ key ] as string;
		}
	}
	return null;
}

/** Maps a non-2xx answer to the error the contract says it is. */
export function errorForResponse(
	request: HttpRequest,
	status: number,
	body: unknown,
	retryAfter: string | null
): CrmError {
	const what = `${ request.method } ${ request.label }`;
	const message = crmMessage( body );
	if ( status === 404 && message === 'Contact not found' ) {
		return new ContactNotFoundError();
	}
	if ( status === 401 ) {
		return new UnauthorizedError(
			`${ what }: ${ message ?? 'Unauthenticated.' }`
		);
	}
	if ( status === 429 ) {
		return new RateLimitedError(
			`${ what }: rate limited by the CRM`,
			parseRetryAfter( retryAfter )
		);
	}
	if ( status >= 500 ) {
		return new TransientError(
			`${ what }: CRM server error ${ status }`,
			'server_error',
			status
		);
	}
	return new PermanentError(
		`${ what }: ${ status } ${ message ?? 'rejected by the CRM' }`,
		status,
		message
	);
}

/**
 * Errors thrown by Node's fetch are checked by shape, not `instanceof`: they come from undici's
 * realm, which differs from the caller's under test runners.
 */
function networkError(
	request: HttpRequest,
	error: unknown,
	timeoutMs: number
): TransientError {
	const failure = (
		typeof error === 'object' && error !== null ? error : {}
	) as { name?: unknown; cause?: { code?: unknown } };
	const what = `${ request.method } ${ request.label }`;
	if ( failure.name === 'TimeoutError' || failure.name === 'AbortError' ) {
		return new TransientError(
			`${ what }: no answer within ${ timeoutMs } ms`,
			'timeout',
			undefined,
			error
		);
	}
	const code =
		typeof failure.cause?.code === 'string'
			? failure.cause.code
			: 'network error';
	if ( code === 'ECONNREFUSED' ) {
		return new TransientError(
			`${ what }: connection refused`,
			'connection_refused',
			undefined,
			error
		);
	}
	return new TransientError(
		`${ what }: connection failed (${ code })`,
		'connection_failed',
		undefined,
		error
	);
}

/** Whether trying the same request again may succeed and cannot do harm. */
function shouldRetry( request: HttpRequest, error: unknown ): boolean {
	if ( ! ( error instanceof CrmError ) || ! error.retryable ) {
		return false;
	}
	if ( request.idempotent ) {
		return true;
	}
	return (
		error instanceof RateLimitedError || error.code === 'connection_refused'
	);
}

/**
 * Sends CRM requests: through the shared limiter, with a timeout per attempt, and retried with
 * exponential backoff and jitter (or the CRM's `Retry-After`) when the failure is transient.
 * Node 20's global fetch (undici) keeps connections alive by default, so no agent is needed.
 */
export class CrmTransport {
	constructor(
		private readonly limiter: RequestLimiter,
		private readonly options: TransportOptions
	) {}

	async send( request: HttpRequest ): Promise< HttpResponse > {
		for ( let attempt = 1; ; attempt++ ) {
			try {
				return await this.limiter.run( () =>
					this.attempt( request, attempt )
				);
			} catch ( error ) {
				const delayMs = this.retryDelay( request, error, attempt );
				if ( delayMs === null ) {
					throw error;
				}
				this.options.logger( 'crm.retry', {
					method: request.method,
					path: request.label,
					attempt,
					delay_ms: delayMs,
					error: ( error as CrmError ).code,
				} );
				await sleep( delayMs );
			}
		}
	}

	/** Milliseconds to wait before the next attempt, or null to give up with this error. */
	private retryDelay(
		request: HttpRequest,
		error: unknown,
		attempt: number
	): number | null {
		if (
			attempt > this.options.maxRetries ||
			! shouldRetry( request, error )
		) {
			return null;
		}
		if (
			error instanceof RateLimitedError &&
			error.retryAfterMs !== null
		) {
			// A longer pause than we are willing to hold a worker for goes back to the caller's queue.
			return error.retryAfterMs <= this.options.retryMaxDelayMs
				? error.retryAfterMs
				: null;
		}
		const ceiling = Math.min(
			this.options.retryMaxDelayMs,
			this.options.retryBaseDelayMs * 2 ** ( attempt - 1 )
		);
		// Half fixed, half random: spreads retries of many workers without ever retrying at once.
		return Math.round( ceiling / 2 + Math.random() * ( ceiling / 2 ) );
	}

	private async attempt(
		request: HttpRequest,
		attempt: number
	): Promise< HttpResponse > {
		const started = Date.now();
		let status: number | undefined;
		try {
			const response = await fetch( request.url, {
				method: request.method,
				headers: request.headers,
				body: request.body,
				redirect: 'manual',
				signal: AbortSignal.timeout( this.options.timeoutMs ),
			} ).catch( ( error: unknown ) => {
				throw networkError( request, error, this.options.timeoutMs );
			} );
			status = response.status;
			const text = await response.text().catch( ( error: unknown ) => {
				throw networkError( request, error, this.options.timeoutMs );
			} );
			const body = parseJson( text );
			if ( status < 200 || status >= 300 ) {
				throw errorForResponse(
					request,
					status,
					body,
					response.headers.get( 'retry-after' )
				);
			}
			if ( body === undefined ) {
				throw new TransientError(
					`${ request.method } ${ request.label }: the CRM answered ${ status } without JSON`,
					'invalid_response',
					status
				);
			}
			return { status, body };
		} finally {
			this.options.logger( 'crm.request', {
				method: request.method,
				path: request.label,
				status: status ?? null,
				attempt,
				duration_ms: Date.now() - started,
			} );
		}
	}
}

/** The parsed body, or undefined when it is not JSON (an HTML error page from a proxy, say). */
function parseJson( text: string ): unknown {
	// An empty body (a 204 after a write) is fine; readers reject `null` where they need data.
	if ( text.trim() === '' ) {
		return null;
	}
	try {
		return JSON.parse( text );
	} catch {
		return undefined;
	}
}
