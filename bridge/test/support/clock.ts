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
