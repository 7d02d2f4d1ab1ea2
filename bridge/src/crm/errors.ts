/**
 * Every failure of the CRM client is a CrmError. `retryable` tells the queue whether trying the
 * same job later can help; `status` is the CRM's HTTP status when there was one.
 */
export class CrmError extends Error {
	readonly status?: number;
	readonly code: string;
	readonly retryable: boolean;

	constructor(
		message: string,
		options: {
			code: string;
			retryable: boolean;
			status?: number;
			cause?: unknown;
		}
	) {
		super(
			message,
			options.cause === undefined ? undefined : { cause: options.cause }
		);
		this.name = new.target.name;
		this.code = options.code;
		this.retryable = options.retryable;
		this.status = options.status;
	}
}

/** `404 {"error":"Contact not found"}`: an answer, never to be read as "no tags". */
export class ContactNotFoundError extends CrmError {
	constructor( readonly contactId?: number ) {
		super(
			contactId === undefined
				? 'Contact not found'
				: `Contact ${ contactId } not found`,
			{
				code: 'contact_not_found',
				retryable: false,
				status: 404,
			}
		);
	}
}

/** No tokens, or the CRM refused to refresh them: the site owner must connect again. */
export class NotConnectedError extends CrmError {
	constructor( message: string, status?: number ) {
		super( message, { code: 'not_connected', retryable: false, status } );
	}
}

/** 401 from the CRM: the access token, the code or the client credentials were refused. */
export class UnauthorizedError extends CrmError {
	constructor( message: string ) {
		super( message, {
			code: 'unauthorized',
			retryable: false,
			status: 401,
		} );
	}
}

/** 429: the CRM asks us to slow down, `retryAfterMs` from its `Retry-After` when it sent one. */
export class RateLimitedError extends CrmError {
	constructor(
		message: string,
		readonly retryAfterMs: number | null
	) {
		super( message, {
			code: 'rate_limited',
			retryable: true,
			status: 429,
		} );
	}
}

export type TransientCode =
	| 'server_error'
	| 'timeout'
	| 'connection_refused'
	| 'connection_failed'
	| 'invalid_response';

/** 5xx, timeouts, refused or reset connections, garbled answers: try again later. */
export class TransientError extends CrmError {
	constructor(
		message: string,
		code: TransientCode,
		status?: number,
		cause?: unknown
	) {
		super( message, { code, retryable: true, status, cause } );
	}
}

/** Any other 4xx: retrying the same request will not help; `crmMessage` is what the CRM said. */
export class PermanentError extends CrmError {
	constructor(
		message: string,
		status: number,
		readonly crmMessage: string | null
	) {
		super( message, { code: 'crm_rejected', retryable: false, status } );
	}
}

/** The client was called wrongly (bad config, contact id not a positive integer). */
export class CrmUsageError extends CrmError {
	constructor( message: string ) {
		super( message, { code: 'invalid_argument', retryable: false } );
	}
}
