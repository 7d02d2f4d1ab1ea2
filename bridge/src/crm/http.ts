import { parseJson } from '@pulse-sync/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorForResponse, networkError } from './classify';
import { CrmError, RateLimitedError, TransientError } from './errors';
import type { CrmPacer } from './pacer';
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
 * Sends CRM requests: through the account's pacer, with a timeout per attempt, and retried with
 * exponential backoff and jitter (or the CRM's `Retry-After`) when the failure is transient.
 * Node 20's global fetch (undici) keeps connections alive by default, so no agent is needed.
 */
export class CrmTransport {
	constructor(
		private readonly pacer: CrmPacer,
		private readonly options: TransportOptions
	) {}

	async send( request: HttpRequest ): Promise< HttpResponse > {
		for ( let attempt = 1; ; attempt++ ) {
			try {
				return await this.pacer.run( () =>
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
		// eslint-disable-next-line @wordpress/no-unused-vars-before-return -- read in `finally`, for every outcome.
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
			const parsed = parseJson( text );
			// An HTML error page from a proxy, say, reads as no body.
			const body = parsed.ok ? parsed.value : undefined;
			if ( status < 200 || status >= 300 ) {
				throw errorForResponse(
					request,
					status,
					body,
					response.headers.get( 'retry-after' )
				);
			}
			if ( ! parsed.ok ) {
				throw new TransientError(
					`${ request.method } ${ request.label }: the CRM answered ${ status } without JSON`,
					'invalid_response',
					status
				);
			}
			// No body (a 204 after a write) is fine; readers reject `null` where they need data.
			return { status, body: body ?? null };
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
