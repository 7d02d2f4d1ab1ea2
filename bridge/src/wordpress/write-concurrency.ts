import { AIMD } from '../crm/aimd';

/** How one user-write request went, as the concurrency rule sees it. */
export interface WriteSample {
	/** Writes in the request. */
	items: number;
	durationMs: number;
	/** WordPress said it was overloaded (503, 429), or did not answer. */
	overloaded: boolean;
	/** Writes were waiting for a free request slot when this one finished. */
	heldBack: boolean;
}

/** A window of this many requests gives the times WordPress reaches when it is not queuing. */
const BEST_OF_REQUESTS = 32;
/** A request this much slower than the best of the window for as many writes means WordPress is saturated. */
const SLOW_FACTOR = 2;

/** One finished request of the window. */
interface Seen {
	items: number;
	durationMs: number;
}

/**
 * How many user-write requests may be in flight: AIMD, like the CRM pace (crm/aimd.ts, whose
 * decrease factor it shares). It starts at one; while writes wait for a slot and WordPress
 * answers as fast as it did at its best lately, one more slot per round of requests; an
 * overloaded answer (503, 429, no answer) or a request over twice as slow as the fastest recent
 * one that carried at least as many writes cuts the slots by AIMD.decrease, never below one.
 *
 * Why adapt: with one request in flight, a storm left a quarter of the machine idle while a batch
 * travelled and the next one waited (the pipeline, not the CPU, set the pace); with more than the
 * machine can run, each request only gets slower, and the webhooks that share the PHP-FPM pool
 * with the writes wait for a worker. The ceiling keeps the writes inside that pool's share: with
 * 4 workers and 2 wait slots (the defaults), 2 writes leave the listener its own.
 *
 * Why compare with requests of at least as many writes, not per write: every request pays
 * WordPress's boot once, so a small batch costs more per write than a full one even when
 * WordPress is idle. Compared per write, the small batch that a freed slot takes right after the
 * other slot took the queue looked saturated and cut the slots back to one: the storm ran at one
 * request in flight most of the time. A request can take no longer than one carrying more writes
 * unless WordPress got slower; one with more writes than any seen lately gives no verdict.
 * Pure: the samples carry their times.
 */
export class WriteConcurrency {
	private slots = 1;
	private readonly seen: Seen[] = [];
	/** Requests finished since the last change; a round is `slots` of them. */
	private sinceChange = 0;

	/** @param ceiling Most requests in flight at once (PULSE_SYNC_WP_CONCURRENCY). */
	constructor( private readonly ceiling: number ) {
		if ( ! Number.isInteger( ceiling ) || ceiling < 1 ) {
			throw new RangeError(
				'the ceiling must be a whole number above 0'
			);
		}
	}

	/** Requests that may be in flight now. */
	limit(): number {
		return this.slots;
	}

	/**
	 * Learns from a finished request.
	 * @param sample How it went.
	 */
	finished( sample: WriteSample ): void {
		const slow = this.slowerThanLately( sample );
		this.seen.push( {
			items: sample.items,
			durationMs: sample.durationMs,
		} );
		if ( this.seen.length > BEST_OF_REQUESTS ) {
			this.seen.shift();
		}
		this.sinceChange++;
		if ( sample.overloaded || slow ) {
			this.change(
				Math.max( 1, Math.floor( this.slots * AIMD.decrease ) )
			);
			return;
		}
		if ( sample.heldBack && this.sinceChange >= this.slots ) {
			this.change( Math.min( this.ceiling, this.slots + 1 ) );
		}
	}

	/**
	 * Whether the request took over SLOW_FACTOR times as long as the fastest of the window that
	 * carried at least as many writes.
	 * @param sample The finished request.
	 */
	private slowerThanLately( sample: WriteSample ): boolean {
		const comparable = this.seen
			.filter( ( seen ) => seen.items >= sample.items )
			.map( ( seen ) => seen.durationMs );
		return (
			comparable.length > 0 &&
			sample.durationMs > SLOW_FACTOR * Math.min( ...comparable )
		);
	}

	private change( slots: number ): void {
		this.slots = slots;
		this.sinceChange = 0;
	}
}
