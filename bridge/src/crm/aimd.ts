/**
 * The rule that sets the pace of CRM requests from what the CRM answers (AIMD, as TCP paces a
 * connection): no pace at first, so the machine and the concurrency cap set it; on a 429 the pace
 * drops to a fraction of what the CRM just accepted and nothing starts until its `Retry-After`; a
 * burst of timeouts or 5xx drops it the same way without the pause; every second in which requests
 * had to wait for the pace it rises by a fixed step. Pure: time is passed in, nothing sleeps.
 */

import type { CrmPace } from '@pulse-sync/contracts';
export const AIMD = {
	/** Multiplicative decrease: the new pace is this share of the pace (at first: of what the CRM accepted). */
	decrease: 0.8,
	/**
	 * Additive increase per second, as a share of the rate the CRM accepted at the last decrease
	 * (at least `minIncrease`): quick up to `plateau` of that rate, then slow, since the CRM said no
	 * just above it. Every 429 costs a pause of a whole second (`Retry-After` is in seconds), so
	 * the pace should find the limit again rarely: with these, against a throttle of 50 a second
	 * (a fixed window per token, as the sandbox's), a 429 every 35 s or so and 94% of the limit
	 * used (aimd.test.ts models it; probing twice as often doubled the 429s and cost 3 points).
	 */
	increaseShare: 0.05,
	plateau: 0.95,
	/**
	 * Beyond the plateau: this share, doubled every `probeDoublingS` seconds without a 429. A
	 * limit raised to twice the old one is found again in about two minutes.
	 */
	probeShare: 0.0005,
	probeDoublingS: 20,
	minIncrease: 0.05,
	/** The pace never drops below one request a second. */
	minRate: 1,
	/**
	 * At least this many timeouts or 5xx within `troubleWindowMs`, and at least `troubleShare` of
	 * the answers in it, count as a CRM in trouble: a CRM that fails now and then (the bench's
	 * faults run fails 10% of calls with 503) is retried, not slowed down to a crawl.
	 */
	troubleBurst: 3,
	troubleShare: 0.5,
	troubleWindowMs: 2000,
	/** A 429 without `Retry-After` pauses this long. */
	defaultPauseMs: 1000,
	/** Rates are measured over this window. */
	measureWindowMs: 1000,
	/** The status says "limited by the CRM" this long after its last 429. */
	limitedForMs: 60_000,
} as const;

/** What `GET /v1/status` shows of the pace (the contract's `CrmPace`). */
export type PaceSnapshot = CrmPace;

/** Timestamps within a sliding window, oldest first; counting drops the old ones. */
class Window {
	private times: number[] = [];
	private head = 0;

	constructor( private readonly lengthMs: number ) {}

	add( time: number ): void {
		this.times.push( time );
	}

	count( now: number ): number {
		while (
			this.head < this.times.length &&
			( this.times[ this.head ] as number ) <= now - this.lengthMs
		) {
			this.head++;
		}
		if ( this.head > 1024 ) {
			this.times = this.times.slice( this.head );
			this.head = 0;
		}
		return this.times.length - this.head;
	}

	clear(): void {
		this.times = [];
		this.head = 0;
	}
}

export class AimdPace {
	private rate: number | null = null;
	/** The rate the CRM accepted when it last said no; null: it never did. */
	private limitRate: number | null = null;
	/** Seconds risen beyond the plateau since the last decrease. */
	private probingS = 0;
	private pausedUntil = 0;
	private lastStartAt = -Infinity;
	private lastDecreaseAt = -Infinity;
	private lastIncreaseAt: number;
	private lastLimitedAt: number | null = null;
	/** A start had to wait for the pace since the last increase: the pace is what holds work back. */
	private heldBack = false;
	private readonly starts = new Window( AIMD.measureWindowMs );
	private readonly accepted = new Window( AIMD.measureWindowMs );
	private readonly troubles = new Window( AIMD.troubleWindowMs );
	/** Answers and troubles, for the share of troubles. */
	private readonly outcomes = new Window( AIMD.troubleWindowMs );

	/**
	 * @param ceiling Most request starts per second whatever the CRM accepts; null: none.
	 * @param now     The clock (ms).
	 */
	constructor(
		private readonly ceiling: number | null,
		private readonly now: () => number = Date.now
	) {
		if ( ceiling !== null && ! ( ceiling > 0 ) ) {
			throw new RangeError( 'the ceiling must be above 0' );
		}
		this.lastIncreaseAt = now();
	}

	/** Request starts per second allowed now; null: any. */
	pace(): number | null {
		if ( this.rate === null ) {
			return this.ceiling;
		}
		return this.ceiling === null
			? this.rate
			: Math.min( this.rate, this.ceiling );
	}

	/** Milliseconds the next request must wait before it starts (0: it may start now). */
	delay(): number {
		const pace = this.pace();
		const spaced =
			pace === null ? -Infinity : this.lastStartAt + 1000 / pace;
		return Math.max(
			0,
			this.pausedUntil - this.now(),
			spaced - this.now()
		);
	}

	/** A request starts now. */
	started(): void {
		const now = this.now();
		const pace = this.pace();
		// It starts one spacing after the one before: it waited for the pace, not for a pause.
		this.heldBack ||=
			pace !== null && now - this.lastStartAt <= 1000 / pace + 1;
		this.lastStartAt = now;
		this.starts.add( now );
	}

	/** The CRM answered (any answer but 429 or 5xx): it keeps up; time to raise the pace? */
	answered(): void {
		const now = this.now();
		this.accepted.add( now );
		this.outcomes.add( now );
		// A pause for Retry-After is not time the pace proved itself.
		const since = Math.max( this.lastIncreaseAt, this.pausedUntil );
		if ( now - since < 1000 ) {
			return;
		}
		const seconds = Math.floor( ( now - since ) / 1000 );
		this.lastIncreaseAt = since + seconds * 1000;
		// Only a pace that held work back rises: an idle bridge must not earn a pace it never tried.
		if ( this.rate !== null && this.heldBack ) {
			for ( let n = 0; n < seconds; n++ ) {
				this.rate = this.raised( this.rate );
			}
			if ( this.ceiling !== null && this.rate >= this.ceiling ) {
				this.rate = this.ceiling;
			}
		}
		this.heldBack = false;
	}

	/**
	 * 429: pause until `Retry-After`, and slow down once for every request that started before.
	 * @param startedAt    When the refused request started.
	 * @param retryAfterMs The CRM's `Retry-After`, or null.
	 */
	rateLimited( startedAt: number, retryAfterMs: number | null ): void {
		const now = this.now();
		this.lastLimitedAt = now;
		this.pausedUntil = Math.max(
			this.pausedUntil,
			now + ( retryAfterMs ?? AIMD.defaultPauseMs )
		);
		this.decreaseFor( startedAt );
	}

	/**
	 * A timeout or a 5xx; a burst of them slows down like a 429, without the pause.
	 * @param startedAt When the failed request started.
	 */
	troubled( startedAt: number ): void {
		const now = this.now();
		this.troubles.add( now );
		this.outcomes.add( now );
		const troubles = this.troubles.count( now );
		if (
			troubles >= AIMD.troubleBurst &&
			troubles >= AIMD.troubleShare * this.outcomes.count( now )
		) {
			this.troubles.clear();
			this.decreaseFor( startedAt );
		}
	}

	snapshot(): PaceSnapshot {
		const now = this.now();
		const pace = this.pace();
		return {
			requests_per_second: pace === null ? null : round( pace ),
			ceiling: this.ceiling,
			current_per_second: this.starts.count( now ),
			limited_by_crm:
				this.lastLimitedAt !== null &&
				now - this.lastLimitedAt < AIMD.limitedForMs,
			last_limited_at:
				this.lastLimitedAt === null
					? null
					: new Date( this.lastLimitedAt ).toISOString(),
		};
	}

	/**
	 * Requests that started before the last decrease went at the old pace: their failures are
	 * already answered for, so one overload costs one decrease, not one per request in flight.
	 * @param startedAt When the failed request started.
	 */
	private decreaseFor( startedAt: number ): void {
		if ( startedAt < this.lastDecreaseAt ) {
			return;
		}
		const now = this.now();
		// A pace decreases from itself: what was accepted in the last second is no measure of
		// the CRM once a stall of this process (or a pause) has skewed it. The first decrease has
		// no pace to start from (or only the ceiling): it starts from what the CRM accepted (or,
		// for a slow CRM's first answer, from what started), at most the ceiling, else the floor.
		const accepted = this.accepted.count( now );
		const measured = accepted > 0 ? accepted : this.starts.count( now );
		const first =
			measured > 0
				? Math.min( this.ceiling ?? Infinity, measured )
				: ( this.ceiling ?? AIMD.minRate );
		const before =
			this.rate === null
				? first
				: Math.min( this.rate, this.ceiling ?? Infinity );
		this.rate = Math.max( AIMD.minRate, before * AIMD.decrease );
		this.limitRate = before;
		this.probingS = 0;
		this.lastDecreaseAt = now;
		this.lastIncreaseAt = now;
		this.heldBack = false;
	}

	/**
	 * The pace one second later: quick steps up to the plateau below the rate the CRM last
	 * refused, slow ones beyond it.
	 * @param rate The pace now.
	 */
	private raised( rate: number ): number {
		const limit = this.limitRate ?? rate;
		const plateau = limit * AIMD.plateau;
		if ( rate < plateau ) {
			return Math.min(
				plateau,
				rate + Math.max( AIMD.minIncrease, limit * AIMD.increaseShare )
			);
		}
		const doublings = Math.floor( this.probingS / AIMD.probeDoublingS );
		this.probingS++;
		return (
			rate +
			Math.max(
				AIMD.minIncrease,
				limit * AIMD.probeShare * 2 ** doublings
			)
		);
	}
}

function round( rate: number ): number {
	return Math.round( rate * 10 ) / 10;
}
