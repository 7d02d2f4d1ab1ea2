import {
	ContactNotFoundError,
	CrmError,
	CrmUsageError,
	NotConnectedError,
	RateLimitedError,
	UnauthorizedError,
} from '../crm';
import type { JobError } from '../queue/queue';
import { redact } from '../log';
import { SecretBoxError } from '../secret-box';
import { WordPressError } from '../wordpress/client';

/** A delivery that cannot succeed however often it is tried (no such contact, no email, …). */
export class JobFailedError extends Error {
	constructor(
		readonly code: string,
		message: string,
		readonly httpStatus: number
	) {
		super( message );
		this.name = 'JobFailedError';
	}
}

/** Nothing to call yet: the owner has not entered the CRM credentials (retried: they may). */
export class CrmNotConfiguredError extends Error {
	constructor() {
		super(
			'The CRM account URL and client credentials are not set in Pulse Sync settings.'
		);
		this.name = 'CrmNotConfiguredError';
	}
}

/**
 * An attempt that outlasted its deadline, which ends it before its lease on a shared queue runs
 * out (worker.ts): retried, by this bridge or another, rather than run twice at once.
 */
export class AttemptDeadlineError extends Error {
	constructor( deadlineMs: number ) {
		super(
			`The attempt took longer than ${ deadlineMs } ms (within its lease on the queue); it is tried again.`
		);
		this.name = 'AttemptDeadlineError';
	}
}

export interface Failure {
	error: JobError;
	retryable: boolean;
	/** The earliest a retry may happen, e.g. the CRM's Retry-After. */
	retryAfterMs: number;
}

/**
 * Sorts an attempt's error into "try again later" or "give up", with a loggable reason.
 * @param thrown Whatever the attempt threw.
 */
export function classifyFailure( thrown: unknown ): Failure {
	if ( thrown instanceof JobFailedError ) {
		return failure( thrown.code, thrown.message, false, thrown.httpStatus );
	}
	if ( thrown instanceof ContactNotFoundError ) {
		return failure(
			'contact_not_found',
			'The contact does not exist in the CRM.',
			false,
			404
		);
	}
	if ( thrown instanceof RateLimitedError ) {
		return {
			...failure( 'crm_rate_limited', thrown.message, true ),
			retryAfterMs: thrown.retryAfterMs ?? 0,
		};
	}
	if (
		thrown instanceof NotConnectedError ||
		thrown instanceof UnauthorizedError
	) {
		// Final for a single request, not for a delivery: the owner can reconnect within the
		// retry schedule and the queued deliveries then go through.
		return failure( 'crm_not_connected', thrown.message, true );
	}
	if ( thrown instanceof CrmUsageError ) {
		// Contact ids are validated on arrival, so this is the CRM settings (a bad account URL),
		// which the owner can correct while the delivery waits.
		return failure( 'crm_misconfigured', thrown.message, true );
	}
	if ( thrown instanceof CrmError ) {
		const code = thrown.code.startsWith( 'crm_' )
			? thrown.code
			: `crm_${ thrown.code }`;
		return failure( code, thrown.message, thrown.retryable );
	}
	if ( thrown instanceof WordPressError ) {
		return failure(
			thrown.code,
			thrown.message,
			thrown.retryable,
			// A refusal is what the plugin answers the CRM with (422 for a bad email, …).
			thrown.retryable ? undefined : thrown.status
		);
	}
	if ( thrown instanceof CrmNotConfiguredError ) {
		return failure( 'crm_not_configured', thrown.message, true );
	}
	if ( thrown instanceof AttemptDeadlineError ) {
		return failure( 'attempt_deadline', thrown.message, true );
	}
	if ( thrown instanceof SecretBoxError ) {
		return failure( 'password_unrecoverable', thrown.message, false );
	}
	// A bug or an unexpected answer: retried, so a fix or a recovered service still gets it done.
	return failure(
		'internal_error',
		thrown instanceof Error ? thrown.message : String( thrown ),
		true
	);
}

function failure(
	code: string,
	message: string,
	retryable: boolean,
	httpStatus?: number
): Failure {
	return {
		error: {
			code,
			message: redact( message ) as string,
			...( httpStatus !== undefined && { httpStatus } ),
		},
		retryable,
		retryAfterMs: 0,
	};
}
