import { ConcurrencyLimiter } from '../limiter';
import type { Signer } from '../signature';

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

/** Body of `POST /wp-json/pulse-sync/v1/bridge/users` (docs/architecture.md, "Bridge → plugin"). */
export interface UserWrite {
	delivery_id: string;
	action: 'add' | 'update' | 'update_tags';
	contact_id: number;
	email: string | null;
	user: Record< string, string >;
	meta: Record< string, string >;
	role: string | null;
	tags: number[];
	send_notification: boolean;
	generated_password: string | null;
}

export interface UserWriteAnswer {
	status: 'created' | 'updated' | 'skipped';
	user_id: number | null;
	password_used: boolean;
	reason?: string;
}

const ROUTE_PREFIX = '/wp-json/pulse-sync/v1/bridge';
// A user write may send the welcome email over SMTP inside the request.
const REQUEST_TIMEOUT_MS = 30_000;
const RESULT_STATUSES = new Set( [ 'created', 'updated', 'skipped' ] );

/** Signed calls from the bridge to the plugin, at most `concurrency` at once. */
export class WordPressClient {
	private readonly limiter: ConcurrencyLimiter;

	constructor(
		private readonly siteUrl: string,
		private readonly signer: Signer,
		concurrency: number
	) {
		this.limiter = new ConcurrencyLimiter( concurrency );
	}

	/** The raw settings answer; settings.ts validates it. */
	fetchSettings(): Promise< unknown > {
		return this.request( 'GET', '/settings', '' );
	}

	async writeUser( write: UserWrite ): Promise< UserWriteAnswer > {
		return parseUserWriteAnswer(
			await this.request( 'POST', '/users', JSON.stringify( write ) )
		);
	}

	private request(
		method: 'GET' | 'POST',
		route: string,
		body: string
	): Promise< unknown > {
		return this.limiter.run( async () => {
			let response: Response;
			try {
				response = await fetch(
					`${ this.siteUrl }${ ROUTE_PREFIX }${ route }`,
					{
						method,
						headers: {
							...this.signer.sign( body ),
							accept: 'application/json',
							...( method === 'POST' && {
								'content-type': 'application/json',
							} ),
						},
						...( method === 'POST' && { body } ),
						signal: AbortSignal.timeout( REQUEST_TIMEOUT_MS ),
					}
				);
			} catch ( error ) {
				throw new WordPressError(
					'wordpress_unreachable',
					`WordPress did not answer ${ method } ${ route }: ${ ( error as Error ).message }`,
					true
				);
			}
			const text = await response.text();
			const json = parseJson( text );
			if ( ! response.ok ) {
				throw errorForStatus( response.status, route, json );
			}
			if ( json === undefined ) {
				throw new WordPressError(
					'wordpress_bad_answer',
					`WordPress answered ${ route } with something that is not JSON (a PHP error page?).`,
					true,
					response.status
				);
			}
			return json;
		} );
	}
}

function parseJson( text: string ): unknown {
	try {
		return JSON.parse( text ) as unknown;
	} catch {
		return undefined;
	}
}

function errorForStatus(
	status: number,
	route: string,
	json: unknown
): WordPressError {
	const code =
		typeof ( json as { code?: unknown } )?.code === 'string'
			? ( json as { code: string } ).code
			: null;
	if ( status === 422 && code === 'pulse_sync_invalid_email' ) {
		return new WordPressError(
			'invalid_email',
			'WordPress refused the contact’s email address.',
			false,
			status
		);
	}
	if ( status === 401 || status === 403 ) {
		// Usually a bridge secret that no longer matches the plugin's; retried because the owner
		// can fix the pairing without losing the queued deliveries.
		return new WordPressError(
			'wordpress_rejected_signature',
			`WordPress refused the bridge's signature on ${ route } (${ status }); check PULSE_SYNC_BRIDGE_SECRET.`,
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

function parseUserWriteAnswer( json: unknown ): UserWriteAnswer {
	const answer = json as Partial< Record< keyof UserWriteAnswer, unknown > >;
	const userId = answer.user_id ?? null;
	if (
		! RESULT_STATUSES.has( answer.status as string ) ||
		! (
			userId === null ||
			( typeof userId === 'number' && Number.isInteger( userId ) )
		) ||
		typeof answer.password_used !== 'boolean'
	) {
		throw new WordPressError(
			'wordpress_bad_answer',
			'WordPress answered the user write with an unexpected body.',
			true
		);
	}
	return {
		status: answer.status as UserWriteAnswer[ 'status' ],
		user_id: userId,
		password_used: answer.password_used,
		...( typeof answer.reason === 'string' && { reason: answer.reason } ),
	};
}
