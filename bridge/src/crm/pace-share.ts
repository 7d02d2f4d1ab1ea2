/**
 * The part of a CRM account's pace that every process talking to the account shares: the rate,
 * what the CRM last refused, the pause for its `Retry-After`. One bridge keeps it in memory
 * (`LocalPaceShare`); bridges on one PostgreSQL database keep it in a row they all read and
 * change (pg-pace-share.ts), so one 429 pauses and slows them all once, and their starts take
 * turns in one sequence at the account's pace. Times are unix ms; 0 is "never".
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
	 * with the number of processes that have CRM work counted then.
	 * @return The state here after the change.
	 */
	change: ( apply: PaceChange ) => PaceState;
	/** This process has a request waiting to start: it counts as one with CRM work. */
	wanted: () => void;
	/**
	 * Takes the next start in the account's sequence of starts `spacingMs` apart.
	 * @return When it may start: `now` or later.
	 */
	reserve: ( spacingMs: number, now: number ) => Promise< number >;
}

/** A change of the account's pace, given the pace and how many processes have CRM work. */
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
	private readonly sequence = new StartSequence();

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

	wanted(): void {}

	reserve( spacingMs: number, now: number ): Promise< number > {
		return Promise.resolve( this.sequence.take( spacingMs, now ) );
	}
}

/** Starts spaced apart: each takes the first moment one spacing after the one before. */
export class StartSequence {
	private next = 0;

	/**
	 * @param spacingMs The pace's spacing now.
	 * @param now       The time (ms).
	 * @return When this start may happen.
	 */
	take( spacingMs: number, now: number ): number {
		const at = Math.max( this.next, now );
		this.next = at + spacingMs;
		return at;
	}
}
