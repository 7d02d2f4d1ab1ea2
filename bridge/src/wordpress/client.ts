import {
	parseJson,
	UserWriteAnswer,
	UserWriteBatchAnswer,
	UserWriteRefusal,
	WordPressErrorBody,
	type UserWrite,
} from '@pulse-sync/contracts';
import { ConcurrencyLimiter } from '../limiter';
import type { RequestSigner } from '../site-link';
import { BRIDGE_VERSION } from '../version';
import { WriteBatcher, type ItemOutcome } from './write-batcher';
import { WriteConcurrency } from './write-concurrency';

/** A call to the plugin's bridge routes that did not give a usable answer. */
export class WordPressError extends Error {
	constructor(
		readonly code: string,
		message: string,
		readonly retryable: boolean,
		readonly status?: number
	) {
		super( message );
		this.name = 'WordPressError';
	}
}

/**
 * Whether a failed user-write request says WordPress is overloaded: no answer (or none in time),
 * or 429, 503, 504. Other failures (401, a 400 of the whole batch) say nothing about its load.
 * @param error What the request threw.
 */
function isOverload( error: unknown ): boolean {
	return (
		error instanceof WordPressError &&
		( error.code === 'wordpress_unreachable' ||
			[ 429, 503, 504 ].includes( error.status ?? 0 ) )
	);
}

export type { UserWrite, UserWriteAnswer };

// The REST route is what is signed (docs/architecture.md, "Signing"): the same with or without
// pretty permalinks, and for a site below a path.
const REST_ROUTE_PREFIX = '/pulse-sync/v1/bridge';
// A batch of user writes may send welcome emails over SMTP inside the request.
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The plugin's refusals to link a contact to the existing user with its email (AccountLink.php):
 * permanent, logged with the plugin's own message, and resolved by the owner's link by hand from
 * the delivery log, which then replays the delivery.
 */
export const LINK_REFUSALS: Readonly< Record< string, string > > = {
	pulse_sync_user_linked_to_other_contact: 'user_linked_to_other_contact',
	pulse_sync_email_link_disabled: 'email_link_disabled',
};

/**
 * Signed calls from the bridge to the plugin, at most `concurrency` at once; user writes travel in
 * batches of up to `maxBatch` (see write-batcher.ts).
 */
export class WordPressClient {
	private readonly limiter: ConcurrencyLimiter;
	private readonly writes: WriteBatcher< UserWrite, UserWriteAnswer >;

	private readonly siteUrl: () => string;

	/**
	 * @param siteUrl     The site, or where to read it (it changes when the bridge is paired).
	 * @param signer      Signs each request.
	 * @param concurrency Requests at once; user-write requests adapt up to it.
	 * @param maxBatch    User writes per request.
	 */
	constructor(
		siteUrl: string | ( () => string ),
		private readonly signer: RequestSigner,
		concurrency: number,
		maxBatch: number
	) {
		this.siteUrl = typeof siteUrl === 'string' ? () => siteUrl : siteUrl;
		this.limiter = new ConcurrencyLimiter( concurrency );
		this.writes = new WriteBatcher(
			new WriteConcurrency( concurrency ),
			maxBatch,
			( batch ) => this.sendWrites( batch ),
			isOverload
		);
	}

	/** The raw settings answer; settings.ts validates it. */
	fetchSettings(): Promise< unknown > {
		return this.request( 'GET', '/settings', '' );
	}

	/**
	 * Resolves with this write's answer; a WordPressError either for this write alone (e.g.
	 * invalid_email) or for the whole request it was batched into.
	 * @param write The user write.
	 */
	writeUser( write: UserWrite ): Promise< UserWriteAnswer > {
		return this.writes.submit( write );
	}

	/**
	 * One page of the site's linked users (`GET /bridge/linked-contacts`, keyset by contact id);
	 * imports/linked-contacts.ts validates the answer.
	 * @param after Contact ids above this one.
	 * @param limit At most this many.
	 */
	fetchLinkedContacts( after: number, limit: number ): Promise< unknown > {
		return this.request(
			'GET',
			'/linked-contacts',
			'',
			new URLSearchParams( {
				after: String( after ),
				limit: String( limit ),
			} )
		);
	}

	/**
	 * Which of these contacts have a user (`POST /bridge/linked-contacts/lookup`).
	 * @param contactIds The contacts to look up.
	 */
	lookupLinkedContacts( contactIds: readonly number[] ): Promise< unknown > {
		return this.request(
			'POST',
			'/linked-contacts/lookup',
			JSON.stringify( { contact_ids: contactIds } )
		);
	}

	private async sendWrites(
		writes: UserWrite[]
	): Promise< ItemOutcome< UserWriteAnswer >[] > {
		return parseBatchAnswer(
			await this.request(
				'POST',
				'/users',
				JSON.stringify( { writes } )
			),
			writes.length
		);
	}

	private request(
		method: 'GET' | 'POST',
		route: string,
		body: string,
		query = new URLSearchParams()
	): Promise< unknown > {
		return this.limiter.run( async () => {
			const restRoute = `${ REST_ROUTE_PREFIX }${ route }`;
			// Outside the try: an unpaired bridge fails with its own error, not "unreachable".
			const search = query.size > 0 ? `?${ query }` : '';
			const url = `${ this.siteUrl() }/wp-json${ restRoute }${ search }`;
			const signed = this.signer.sign( {
				method,
				path: restRoute,
				query,
				body,
			} );
			let response: Response;
			try {
				response = await fetch( url, {
					method,
					headers: {
						...signed,
						// The plugin records which bridge version last called it.
						'x-pulse-sync-bridge-version': BRIDGE_VERSION,
						accept: 'application/json',
						...( method === 'POST' && {
							'content-type': 'application/json',
						} ),
					},
					...( method === 'POST' && { body } ),
					// A redirect would resend the signed headers and a batch holding
					// generated passwords to wherever it points.
					redirect: 'manual',
					signal: AbortSignal.timeout( REQUEST_TIMEOUT_MS ),
				} );
			} catch ( error ) {
				throw new WordPressError(
					'wordpress_unreachable',
					`WordPress did not answer ${ method } ${ route }: ${ ( error as Error ).message }`,
					true
				);
			}
			if ( response.status >= 300 && response.status < 400 ) {
				await response.body?.cancel();
				throw redirected( response, route );
			}
			const parsed = parseJson( await response.text() );
			if ( ! response.ok ) {
				const { code, message } = WordPressErrorBody.parse(
					parsed.ok ? parsed.value : null
				);
				throw errorForStatus( response.status, route, code, message );
			}
			// The plugin always answers JSON: no body is as wrong as a PHP error page.
			if ( ! parsed.ok || parsed.value === undefined ) {
				throw new WordPressError(
					'wordpress_bad_answer',
					`WordPress answered ${ route } with something that is not JSON (a PHP error page?).`,
					true,
					response.status
				);
			}
			return parsed.value;
		} );
	}
}

/**
 * A redirect is not followed: the site URL is wrong (http for https, a missing www) or the site
 * is not what it should be. Retried, so the owner can fix PULSE_SYNC_SITE_URL without losing the
 * queued deliveries.
 * @param response The 3xx answer.
 * @param route    Route, for the message.
 */
function redirected( response: Response, route: string ): WordPressError {
	const location = response.headers.get( 'location' );
	let target = '';
	try {
		// The origin only: a redirect's path or query may carry anything.
		target = location
			? ` to ${ new URL( location, response.url ).origin }`
			: '';
	} catch {
		// An unusable Location header: the status alone says enough.
	}
	return new WordPressError(
		'wordpress_redirected',
		`WordPress answered ${ route } with a redirect (HTTP ${ response.status }${ target }), which the bridge does not follow; set PULSE_SYNC_SITE_URL to the address the site answers on.`,
		true,
		response.status
	);
}

/**
 * The error for a refused request, or for one refused item of a batch: an item's `status` and
 * `code` are classified as a request's, so a write fails the same way in a batch of any size.
 * @param status  HTTP status (of the request, or the item's `status`).
 * @param route   Route, for the message.
 * @param code    The plugin's error code, if any.
 * @param message The plugin's message, if any (written for the site owner, secret-free).
 */
function errorForStatus(
	status: number,
	route: string,
	code: string | null,
	message: string | null = null
): WordPressError {
	if ( status === 400 && code === 'pulse_sync_batch_too_large' ) {
		// A configuration mismatch, not a bad write: retried so the owner can fix it without
		// losing the queued deliveries.
		return new WordPressError(
			'wordpress_batch_too_large',
			'WordPress refused a batch of user writes as too large; set PULSE_SYNC_WP_BATCH_SIZE to at most the plugin’s pulse_sync_bridge_batch_max.',
			true,
			status
		);
	}
	if ( status === 422 && code === 'pulse_sync_invalid_email' ) {
		return new WordPressError(
			'invalid_email',
			'WordPress refused the contact’s email address.',
			false,
			status
		);
	}
	const linkRefusal = code === null ? undefined : LINK_REFUSALS[ code ];
	if ( status === 422 && linkRefusal !== undefined ) {
		return new WordPressError(
			linkRefusal,
			message ??
				'WordPress refused to link the contact to the existing user with its email address.',
			false,
			status
		);
	}
	if ( status === 401 || status === 403 ) {
		// Usually a bridge secret that no longer matches the plugin's; retried because the owner
		// can fix the pairing without losing the queued deliveries.
		return new WordPressError(
			'wordpress_rejected_signature',
			`WordPress refused the bridge's signature on ${ route } (${ status }); pair the bridge again (pulse-sync-bridge pair <site-url> --code CODE).`,
			true,
			status
		);
	}
	const retryable = status === 408 || status === 429 || status >= 500;
	return new WordPressError(
		retryable ? 'wordpress_unavailable' : 'wordpress_rejected',
		`WordPress answered ${ route } with HTTP ${ status }${ code ? ` (${ code })` : '' }.`,
		retryable,
		status
	);
}

/**
 * `{"results":[…]}`, one entry per write in order: an answer or `{"error":{code,message,status}}`.
 * A body of another shape fails the whole batch; one malformed entry fails only its write.
 * @param json  The decoded body.
 * @param count How many writes were sent.
 */
function parseBatchAnswer(
	json: unknown,
	count: number
): ItemOutcome< UserWriteAnswer >[] {
	const batch = UserWriteBatchAnswer.safeParse( json );
	if ( ! batch.success || batch.data.results.length !== count ) {
		throw badAnswer();
	}
	return batch.data.results.map( parseItem );
}

function parseItem( item: unknown ): ItemOutcome< UserWriteAnswer > {
	const refusal = UserWriteRefusal.safeParse( item );
	if ( refusal.success ) {
		const { status, code, message } = refusal.data.error;
		return {
			ok: false,
			error: errorForStatus( status, '/users', code, message ),
		};
	}
	const answer = UserWriteAnswer.safeParse( item );
	return answer.success
		? { ok: true, answer: answer.data }
		: { ok: false, error: badAnswer() };
}

function badAnswer(): WordPressError {
	return new WordPressError(
		'wordpress_bad_answer',
		'WordPress answered the user write with an unexpected body.',
		true
	);
}
