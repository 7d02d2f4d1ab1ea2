import { integerIn } from './validate';

/** `POST /__sandbox/rate-limit`: at most `requests` API calls per token in each `window_ms`. */
export interface RateLimitConfig {
	requests: number;
	window_ms: number;
}

/** What `GET /__sandbox/rate-limit` reports about the limit set last. */
export interface RateLimitCounters {
	limit: RateLimitConfig | null;
	/** API calls let through and refused with 429 since the limit was set. */
	accepted: number;
	refused: number;
	/**
	 * Sandbox milliseconds from the first to the last limited call: with `accepted` and the limit,
	 * how close a client came to the allowed pace, without a test reading its own clock.
	 */
	busy_ms: number;
}

export type RateDecision =
	{ allowed: true } | { allowed: false; retryAfterS: number };

/** Token windows older than this many windows are forgotten, so the map cannot grow forever. */
const FORGET_AFTER_WINDOWS = 4;

export function parseRateLimit(
	body: Record< string, unknown >
): RateLimitConfig {
	return {
		requests: integerIn( body.requests, 'requests', 1, 1_000_000 ),
		window_ms: integerIn(
			body.window_ms ?? 1000,
			'window_ms',
			1,
			3_600_000
		),
	};
}

/**
 * The CRM's throttle as Laravel's `throttle` middleware does it: a fixed window per access token
 * that starts with the token's first call; past `requests` calls in it, 429 with `Retry-After` (whole
 * seconds, rounded up) until the window ends. Off until a test or the bench sets a limit.
 */
export class RateLimiter {
	private config: RateLimitConfig | null = null;
	private windows = new Map< string, { startedAt: number; count: number } >();
	private accepted = 0;
	private refused = 0;
	private firstAt: number | null = null;
	private lastAt: number | null = null;

	constructor( private readonly now: () => number = Date.now ) {}

	set( config: RateLimitConfig | null ): void {
		this.config = config;
		this.windows.clear();
		this.accepted = 0;
		this.refused = 0;
		this.firstAt = null;
		this.lastAt = null;
	}

	/** Counts one API call made with `token`. */
	take( token: string ): RateDecision {
		const config = this.config;
		if ( config === null ) {
			return { allowed: true };
		}
		const now = this.now();
		this.firstAt ??= now;
		this.lastAt = now;
		this.forgetOldWindows( now, config );
		let window = this.windows.get( token );
		if (
			window === undefined ||
			now >= window.startedAt + config.window_ms
		) {
			window = { startedAt: now, count: 0 };
			this.windows.set( token, window );
		}
		if ( window.count < config.requests ) {
			window.count++;
			this.accepted++;
			return { allowed: true };
		}
		this.refused++;
		const leftMs = window.startedAt + config.window_ms - now;
		return {
			allowed: false,
			retryAfterS: Math.max( 1, Math.ceil( leftMs / 1000 ) ),
		};
	}

	counters(): RateLimitCounters {
		return {
			limit: this.config,
			accepted: this.accepted,
			refused: this.refused,
			busy_ms:
				this.firstAt === null || this.lastAt === null
					? 0
					: this.lastAt - this.firstAt,
		};
	}

	private forgetOldWindows( now: number, config: RateLimitConfig ): void {
		if ( this.windows.size < 1000 ) {
			return;
		}
		for ( const [ token, window ] of this.windows ) {
			if (
				now - window.startedAt >
				FORGET_AFTER_WINDOWS * config.window_ms
			) {
				this.windows.delete( token );
			}
		}
	}
}
