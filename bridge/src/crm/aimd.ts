/**
 * The rule that sets the pace of CRM requests from what the CRM answers (AIMD, as TCP paces a
 * connection): no pace at first, so the machine and the concurrency cap set it; on a 429 the pace
 * drops to a fraction of what the CRM just accepted and nothing starts until its `Retry-After`; a
 * burst of timeouts or 5xx drops it the same way without the pause; every second in which requests
 * had to wait for the pace it rises by a fixed step. Pure: time is passed in, nothing sleeps. The
 * account's pace is kept in a `PaceShare` (pace-share.ts): bridges on one database share it.
 */

import type { CrmPace } from '@pulse-sync/contracts';
import { LocalPaceShare, type PaceShare, type PaceState } from './pace-share';

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
	/** When this process last looked whether a second of held-back work earned a rise. */
	private lastTickAt: number;
	/** A start had to wait for the pace since the last tick: the pace is what holds work back. */
	private heldBack = false;
	private readonly starts = new Window( AIMD.measureWindowMs );
	private readonly accepted = new Window( AIMD.measureWindowMs );
	private readonly troubles = new Window( AIMD.troubleWindowMs );
	/** Answers and troubles, for the share of troubles. */
	private readonly outcomes = new Window( AIMD.troubleWindowMs );

	/**
	 * @param ceiling Most request starts per second for the account whatever the CRM accepts; null: none.
	 * @param now     The clock (ms).
	 * @param share   The account's pace, shared with the other bridges on the database (if any).
	 */
	constructor(
		private readonly ceiling: number | null,
		private readonly now: () => number = Date.now,
		private readonly share: PaceShare = new LocalPaceShare( now )
	) {
		if ( ceiling !== null && ! ( ceiling > 0 ) ) {
			throw new RangeError( 'the ceiling must be above 0' );
		}
		this.lastTickAt = now();
	}

	/** Request starts per second for the whole account; null: any. */
	pace(): number | null {
		const { rate } = this.share.current();
		if ( rate === null ) {
			return this.ceiling;
		}
		return this.ceiling === null ? rate : Math.min( rate, this.ceiling );
	}

	/**
	 * Milliseconds until the pause for a 429 ends (0: none). Asked by a request waiting to start,
	 * so it also says this process takes a share of the pace.
	 */
	pauseLeft(): number {
		this.share.wanted();
		return Math.max( 0, this.share.current().pausedUntil - this.now() );
	}

	/**
	 * Takes the next start in the account's sequence, spaced by the pace (every bridge sharing
	 * it takes from the same sequence); without a pace, now.
	 * @return When this request may start (ms, this clock).
	 */
	async reserve(): Promise< number > {
		const pace = this.pace();
		const now = this.now();
		return pace === null ? now : this.share.reserve( 1000 / pace, now );
	}

	/**
	 * A request starts now.
	 * @param waited It waited for its turn in the pace (not for a pause): the pace holds work back.
	 */
	started( waited: boolean ): void {
		this.heldBack ||= waited;
		this.starts.add( this.now() );
	}

	/** The CRM answered (any answer but 429 or 5xx): it keeps up; time to raise the pace? */
	answered(): void {
		const now = this.now();
		this.accepted.add( now );
		this.outcomes.add( now );
		// A pause for Retry-After is not time the pace proved itself.
		const since = Math.max(
			this.lastTickAt,
			this.share.current().pausedUntil
		);
		if ( now - since < 1000 ) {
			return;
		}
		this.lastTickAt = now;
		// Only a pace that held work back rises: an idle bridge must not earn a pace it never tried.
		if ( this.heldBack ) {
			this.share.change( ( state ) =>
				raisedOnce( state, now, this.ceiling )
			);
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
		const until = now + ( retryAfterMs ?? AIMD.defaultPauseMs );
		const measured = this.measuredRate();
		const state = this.share.change( ( before, sharers ) =>
			decreased(
				{
					...before,
					lastLimitedAt: now,
					pausedUntil: Math.max( before.pausedUntil, until ),
				},
				startedAt,
				this.firstRate( measured * sharers ),
				this.ceiling,
				now
			)
		);
		this.afterChange( state, now );
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
			const measured = this.measuredRate();
			const state = this.share.change( ( before, sharers ) =>
				decreased(
					before,
					startedAt,
					this.firstRate( measured * sharers ),
					this.ceiling,
					now
				)
			);
			this.afterChange( state, now );
		}
	}

	/** The account's pace, and this process's calls in the last second. */
	snapshot(): PaceSnapshot {
		const now = this.now();
		const pace = this.pace();
		const { lastLimitedAt } = this.share.current();
		return {
			requests_per_second: pace === null ? null : round( pace ),
			ceiling: this.ceiling,
			current_per_second: this.starts.count( now ),
			limited_by_crm:
				lastLimitedAt !== null &&
				now - lastLimitedAt < AIMD.limitedForMs,
			last_limited_at:
				lastLimitedAt === null
					? null
					: new Date( lastLimitedAt ).toISOString(),
		};
	}

	/** What the CRM accepted here in the last second (or, for a slow CRM's first answer, what started). */
	private measuredRate(): number {
		const now = this.now();
		const accepted = this.accepted.count( now );
		return accepted > 0 ? accepted : this.starts.count( now );
	}

	/**
	 * Where the first decrease starts when there is no pace yet (or only the ceiling).
	 * @param measured What the account's sharers accepted in the last second (each as many as here).
	 */
	private firstRate( measured: number ): number {
		return measured > 0
			? Math.min( this.ceiling ?? Infinity, measured )
			: ( this.ceiling ?? AIMD.minRate );
	}

	/** A decrease made now restarts the count of held-back seconds here. */
	private afterChange( state: PaceState, now: number ): void {
		if ( state.lastDecreaseAt === now ) {
			this.heldBack = false;
			this.lastTickAt = now;
		}
	}
}

/**
 * The pace slowed down once for an overload. Requests that started before the last decrease went
 * at the old pace: their failures are already answered for, so one overload costs one decrease,
 * not one per request in flight (nor one per bridge). A pace decreases from itself: what was
 * accepted in the last second is no measure of the CRM once a stall of this process (or a pause)
 * has skewed it; only the first decrease starts from `first`.
 * @param state     The account's pace.
 * @param startedAt When the failed request started.
 * @param first     Where the first decrease starts (AimdPace.firstRate).
 * @param ceiling   The owner's ceiling, or null.
 * @param now       The time of the failure.
 */
function decreased(
	state: PaceState,
	startedAt: number,
	first: number,
	ceiling: number | null,
	now: number
): PaceState {
	if ( startedAt < state.lastDecreaseAt ) {
		return state;
	}
	const before =
		state.rate === null
			? first
			: Math.min( state.rate, ceiling ?? Infinity );
	return {
		...state,
		rate: Math.max( AIMD.minRate, before * AIMD.decrease ),
		limitRate: before,
		probingS: 0,
		lastDecreaseAt: now,
		lastIncreaseAt: now,
	};
}

/**
 * The pace one step up, at most once a second for the account (whichever process held back
 * first): quick steps up to the plateau below the rate the CRM last refused, slow ones beyond.
 * @param state   The account's pace.
 * @param now     The time of the answer that earned the step.
 * @param ceiling The owner's ceiling, or null.
 */
function raisedOnce(
	state: PaceState,
	now: number,
	ceiling: number | null
): PaceState {
	const since = Math.max( state.lastIncreaseAt, state.pausedUntil );
	if ( state.rate === null || now - since < 1000 ) {
		return state;
	}
	const { rate } = state;
	const limit = state.limitRate ?? rate;
	const plateau = limit * AIMD.plateau;
	let probingS = state.probingS;
	let next: number;
	if ( rate < plateau ) {
		next = Math.min(
			plateau,
			rate + Math.max( AIMD.minIncrease, limit * AIMD.increaseShare )
		);
	} else {
		const doublings = Math.floor( probingS / AIMD.probeDoublingS );
		probingS++;
		next =
			rate +
			Math.max(
				AIMD.minIncrease,
				limit * AIMD.probeShare * 2 ** doublings
			);
	}
	return {
		...state,
		rate: ceiling === null ? next : Math.min( next, ceiling ),
		probingS,
		lastIncreaseAt: now,
	};
}

function round( rate: number ): number {
	return Math.round( rate * 10 ) / 10;
}
