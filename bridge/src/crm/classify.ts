import {
	ContactNotFoundError,
	type CrmError,
	PermanentError,
	RateLimitedError,
	TransientError,
	UnauthorizedError,
} from './errors';
import type { HttpRequest } from './http';

// Which CrmError a CRM answer or a failed fetch is, per the contract's "errors the client must tell apart".

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
export function networkError(
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
