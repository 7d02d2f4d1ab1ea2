import type { WriteConcurrency } from './write-concurrency';

/** What one item of a batch came to: its own answer, or its own error. */
export type ItemOutcome< Answer > =
	{ ok: true; answer: Answer } | { ok: false; error: Error };

/** Sends a batch; answers one outcome per item, in order, or throws when the whole batch failed. */
export type SendBatch< Item, Answer > = (
	items: Item[]
) => Promise< ItemOutcome< Answer >[] >;

interface Waiting< Item, Answer > {
	item: Item;
	resolve: ( answer: Answer ) => void;
	reject: ( error: Error ) => void;
}

/**
 * Coalesces user writes: at most `concurrency.limit()` batches are in flight (it adapts to how
 * fast WordPress answers: write-concurrency.ts); items that arrive while every slot is busy wait,
 * and the next free slot takes all of them (up to `maxBatch`) in one request.
 *
 * Why: each request to WordPress pays a full WordPress boot (30–40 ms of CPU), several times the
 * cost of the user write itself, so in a webhook storm the boots, not the writes, set the pace.
 * There is no timer: an item that finds a free slot leaves at once, so under light load every
 * batch holds one item and latency is what it was without batching.
 */
export class WriteBatcher< Item, Answer > {
	private inFlight = 0;
	private readonly pending: Waiting< Item, Answer >[] = [];

	/**
	 * @param concurrency How many batches may be in flight; told how each one went.
	 * @param maxBatch    Most items in one batch.
	 * @param send        Sends one batch.
	 * @param isOverload  Whether a failed batch's error says WordPress is overloaded.
	 * @param now         The clock (ms); tests pass their own.
	 */
	constructor(
		private readonly concurrency: WriteConcurrency,
		private readonly maxBatch: number,
		private readonly send: SendBatch< Item, Answer >,
		private readonly isOverload: ( error: unknown ) => boolean,
		private readonly now: () => number = Date.now
	) {}

	/**
	 * Resolves with the item's own answer; rejects with its own error, or with the error of the
	 * whole batch it travelled in.
	 * @param item One write.
	 */
	submit( item: Item ): Promise< Answer > {
		return new Promise< Answer >( ( resolve, reject ) => {
			this.pending.push( { item, resolve, reject } );
			this.dispatch();
		} );
	}

	private dispatch(): void {
		while (
			this.inFlight < this.concurrency.limit() &&
			this.pending.length > 0
		) {
			this.inFlight++;
			void this.flush( this.pending.splice( 0, this.maxBatch ) );
		}
	}

	private async flush( batch: Waiting< Item, Answer >[] ): Promise< void > {
		const startedAt = this.now();
		let overloaded = false;
		try {
			const outcomes = await this.send(
				batch.map( ( waiting ) => waiting.item )
			);
			batch.forEach( ( waiting, i ) => {
				const outcome = outcomes[ i ] as ItemOutcome< Answer >;
				if ( outcome.ok ) {
					waiting.resolve( outcome.answer );
				} else {
					waiting.reject( outcome.error );
				}
			} );
		} catch ( error ) {
			overloaded = this.isOverload( error );
			for ( const waiting of batch ) {
				waiting.reject( error as Error );
			}
		} finally {
			this.concurrency.finished( {
				items: batch.length,
				durationMs: this.now() - startedAt,
				overloaded,
				heldBack: this.pending.length > 0,
			} );
			this.inFlight--;
			this.dispatch();
		}
	}
}
