export interface ManualClock {
	now: () => number;
	advance: ( ms: number ) => void;
}

/**
 * A clock the test moves by hand, for code that takes a `now` function.
 * @param start The first time it reads (ms).
 */
export function manualClock( start = 1_000_000 ): ManualClock {
	let time = start;
	return {
		now: () => time,
		advance: ( ms ) => {
			time += ms;
		},
	};
}

export interface SleepingClock extends ManualClock {
	/** Moves the clock by `ms` instead of waiting. */
	sleep: ( ms: number ) => Promise< void >;
}

/**
 * A manual clock whose `sleep` moves it: code that waits (the CRM pacer) runs at once, and the
 * times it reads are the ones it waited for.
 * @param start The first time it reads (ms).
 */
export function sleepingClock( start = 1_000_000 ): SleepingClock {
	const clock = manualClock( start );
	return {
		...clock,
		sleep: async ( ms ) => {
			clock.advance( ms );
		},
	};
}
