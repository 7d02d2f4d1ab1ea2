/**
 * The `webhook-id`s verified by every bridge sharing a database (pg-replay-store.ts), checked
 * after this process's own guard below.
 */
export interface SharedReplays {
	/** Records an id until `untilMs`; false when some bridge recorded it and it has not expired. */
	claim: ( id: string, untilMs: number, nowMs: number ) => Promise< boolean >;
}

/**
 * The `webhook-id`s verified within the tolerance window, so that a signed request seen on the
 * way (or by whatever host a misconfigured URL points at) cannot be sent again. In memory: right
 * for one bridge process; several bridges on one database also share {@link SharedReplays}.
 */
export class ReplayGuard {
	/** webhook-id → the moment (ms) after which its timestamp is stale anyway. */
	private readonly seen = new Map< string, number >();
	private lastSweepMs = 0;

	/** Sweeping every entry this often keeps the map at about one window of requests. */
	private static readonly SWEEP_INTERVAL_MS = 10_000;

	/**
	 * Whether a request with this id was already accepted and its window has not ended.
	 * @param id    The webhook-id.
	 * @param nowMs The current time.
	 */
	has( id: string, nowMs: number ): boolean {
		const until = this.seen.get( id );
		return until !== undefined && until >= nowMs;
	}

	/**
	 * Records an id; false when it was recorded already (a replay). Check and record are one
	 * synchronous step, so two copies arriving at once cannot both pass.
	 * @param id      The webhook-id.
	 * @param untilMs When the request's timestamp leaves the tolerance window.
	 * @param nowMs   The current time.
	 */
	claim( id: string, untilMs: number, nowMs: number ): boolean {
		this.sweep( nowMs );
		if ( this.has( id, nowMs ) ) {
			return false;
		}
		this.seen.set( id, untilMs );
		return true;
	}

	/** How many ids are remembered (for tests). */
	get size(): number {
		return this.seen.size;
	}

	private sweep( nowMs: number ): void {
		if ( nowMs - this.lastSweepMs < ReplayGuard.SWEEP_INTERVAL_MS ) {
			return;
		}
		this.lastSweepMs = nowMs;
		for ( const [ id, until ] of this.seen ) {
			if ( until < nowMs ) {
				this.seen.delete( id );
			}
		}
	}
}
