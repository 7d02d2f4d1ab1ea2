/**
 * The part of a CRM account's pace that every process talking to the account shares: the rate,
 * what the CRM last refused, the pause for its `Retry-After`. One bridge keeps it in memory
 * (`LocalPaceShare`); bridges on one PostgreSQL database keep it in a row they all read and
 * change (pg-pace-share.ts), so one 429 pauses and slows them all once, and each takes its share
 * of the account's pace. Times are unix ms; 0 is "never".
 */
export interface PaceState {
	/** Request starts per second for the whole account; null: no pace yet (the CRM never said no). */
	rate: number | null;
	/** The account's pace when the CRM last said no; null: it never did. */
	limitRate: number | null;
	/** Seconds risen beyond the plateau since the last decrease. */
	probingS: number;
	/** Nothing starts before this (a 429's `Retry-After`). */
	pausedUntil: number;
	lastDecreaseAt: number;
	lastIncreaseAt: number;
	/** The last 429; null: none. */
	lastLimitedAt: number | null;
}

export interface PaceShare {
	/** The account's pace as this process last saw it. */
	current: () => PaceState;
	/**
	 * Changes the account's pace: here at once, and where it is shared, to the shared state as
	 * it is then (so `apply` must decide from what it is given, not from what it saw before),
	 * with the number of sharers counted then.
	 * @return The state here after the change.
	 */
	change: ( apply: PaceChange ) => PaceState;
	/** How many processes take a share of the pace now (1: this one alone). */
	sharers: () => number;
	/** This process has a request waiting to start: it takes a share of the pace. */
	wanted: () => void;
}

/** A change of the account's pace, given the pace and how many processes share it. */
export type PaceChange = ( state: PaceState, sharers: number ) => PaceState;

/** @param now When the pace starts (ms): the first second of rising counts from it. */
export function initialPaceState( now: number ): PaceState {
	return {
		rate: null,
		limitRate: null,
		probingS: 0,
		pausedUntil: 0,
		lastDecreaseAt: 0,
		lastIncreaseAt: now,
		lastLimitedAt: null,
	};
}

/** One process alone talks to the account: the pace is its own. */
export class LocalPaceShare implements PaceShare {
	private state: PaceState;

	/** @param now The clock (ms). */
	constructor( now: () => number ) {
		this.state = initialPaceState( now() );
	}

	current(): PaceState {
		return this.state;
	}

	change( apply: PaceChange ): PaceState {
		this.state = apply( this.state, 1 );
		return this.state;
	}

	sharers(): number {
		return 1;
	}

	wanted(): void {}
}
