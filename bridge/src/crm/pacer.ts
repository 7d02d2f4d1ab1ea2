import { setTimeout as sleep } from 'node:timers/promises';

import { ConcurrencyLimiter } from '../limiter';
import { AimdPace, type PaceSnapshot } from './aimd';
import type { PaceShare } from './pace-share';
import { RateLimitedError, TransientError } from './errors';

export interface PacerOptions {
	/** Requests in flight at once. */
	concurrency: number;
	/** Most request starts per second whatever the CRM accepts; null: none. */
	ceiling: number | null;
}

export interface PacerClock {
	now: () => number;
	sleep: ( ms: number ) => Promise< unknown >;
}

const REAL_CLOCK: PacerClock = { now: Date.now, sleep };

/**
 * A waiter looks at the pace again at least this often: where bridges share it, a pause or a new
 * share may come from another bridge meanwhile, and looking is what keeps this bridge counted as
 * one that takes a share (pg-pace-share.ts reads the row when it is looked at).
 */
const LOOK_AGAIN_MS = 250;

/**
 * The one gate for the CRM requests of one CRM account: at most `concurrency` in flight, and
 * starts paced by what the CRM answers (aimd.ts). Every worker, route and token refresh of the
 * process goes through the same pacer (CrmConnection keeps one per account). Waiters start first
 * come, first served.
 */
export class CrmPacer {
	private readonly slots: ConcurrencyLimiter;
	private readonly pace: AimdPace;
	private previousTurn: Promise< void > = Promise.resolve();

	/**
	 * @param options The concurrency and the owner's ceiling.
	 * @param clock   The clock and sleep (tests pass their own).
	 * @param share   The account's pace, where bridges on one database share it.
	 */
	constructor(
		options: PacerOptions,
		private readonly clock: PacerClock = REAL_CLOCK,
		share?: PaceShare
	) {
		if ( ! ( options.concurrency >= 1 ) ) {
			throw new RangeError( 'concurrency must be at least 1' );
		}
		this.slots = new ConcurrencyLimiter( options.concurrency );
		this.pace = new AimdPace( options.ceiling, clock.now, share );
	}

	/** Runs one request attempt when the pace allows, and learns from how the CRM answered. */
	run< T >( task: () => Promise< T > ): Promise< T > {
		return this.slots.run( async () => {
			await this.waitForTurn();
			// eslint-disable-next-line @wordpress/no-unused-vars-before-return -- read when the attempt fails.
			const startedAt = this.clock.now();
			try {
				const result = await task();
				this.pace.answered();
				return result;
			} catch ( error ) {
				this.learn( error, startedAt );
				throw error;
			}
		} );
	}

	snapshot(): PaceSnapshot {
		return this.pace.snapshot();
	}

	private learn( error: unknown, startedAt: number ): void {
		if ( error instanceof RateLimitedError ) {
			this.pace.rateLimited( startedAt, error.retryAfterMs );
		} else if (
			error instanceof TransientError &&
			( error.code === 'timeout' || error.code === 'server_error' )
		) {
			this.pace.troubled( startedAt );
		} else if ( error instanceof TransientError ) {
			// Refused or reset connections and garbled answers say nothing about the CRM's pace.
		} else {
			// A 4xx other than 429 is an answer: the CRM kept up.
			this.pace.answered();
		}
	}

	/**
	 * Start turns are chained, so a waiter never overtakes one that is still sleeping; a waiter
	 * looks again after its sleep (at most `LOOK_AGAIN_MS`), since a 429 may have paused everything
	 * meanwhile.
	 */
	private waitForTurn(): Promise< void > {
		const turn = this.previousTurn.then( async () => {
			let waited = false;
			do {
				await this.sleepWhile( () => this.pace.pauseLeft() );
				const at = await this.pace.reserve();
				waited = at > this.clock.now();
				// A pause that begins meanwhile gives the start up: a new one is taken after it.
				await this.sleepWhile( () =>
					this.pace.pauseLeft() > 0 ? 0 : at - this.clock.now()
				);
			} while ( this.pace.pauseLeft() > 0 );
			this.pace.started( waited );
		} );
		this.previousTurn = turn;
		return turn;
	}

	/** @param left Milliseconds still to wait (0 or less: done); slept in steps of `LOOK_AGAIN_MS`. */
	private async sleepWhile( left: () => number ): Promise< void > {
		for ( let ms = left(); ms > 0; ms = left() ) {
			await this.clock.sleep( Math.min( ms, LOOK_AGAIN_MS ) );
		}
	}
}
