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
 * Coalesces user writes: at most `slots` batches are in flight; items that arrive while every slot
 * is busy wait, and the next free slot takes all of them (up to `maxBatch`) in one request.
 *
 * Why: each request to WordPress pays a full WordPress boot (30–40 ms of CPU), several times the
 * cost of the user write itself, so in a webhook storm the boots, not the writes, set the pace.
 * There is no timer: an item that finds a free slot leaves at once, so under light load every
 * batch holds one item and latency is what it was without batching.
 */
export class WriteBatcher< Item, Answer > {
	private inFlight = 0;
	private readonly pending: Waiting< Item, Answer >[] = [];

	constructor(
		private readonly slots: number,
		private readonly maxBatch: number,
		private readonly send: SendBatch< Item, Answer >
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
		while ( this.inFlight < this.slots && this.pending.length > 0 ) {
			this.inFlight++;
			void this.flush( this.pending.splice( 0, this.maxBatch ) );
		}
	}

	private async flush( batch: Waiting< Item, Answer >[] ): Promise< void > {
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
			for ( const waiting of batch ) {
				waiting.reject( error as Error );
			}
		} finally {
			this.inFlight--;
			this.dispatch();
		}
	}
}
