/**
 * Tells a webhook storm (a CRM bulk edit or bulk tag change) from ordinary traffic by the rate of
 * deliveries the bridge receives. During a storm the deliveries route stops holding PHP workers
 * and `update`s of a contact settle before their job starts (see queue/settle.ts).
 */

// Long enough that a few webhooks arriving together (one CRM workflow step run for a handful of
// contacts) do not look like a storm, short enough to see a bulk edit within its first second.
const DEFAULT_WINDOW_MS = 2000;
// A storm ends only after the rate stayed below the threshold this long, so a bulk edit whose
// pace dips for a moment (the CRM pages through contacts) stays one storm. As long as the
// plugin's memory of a reported backlog (10 s), so both stop holding back together.
const DEFAULT_CALM_MS = 10_000;
// The window is counted in this many slots: constant memory and work whatever the rate.
const SLOTS = 20;

/**
 * The deliveries every bridge on a shared database received (pg-storm-counts.ts), counted in
 * the same slots as the meter's own.
 */
export interface SharedStormCounts {
	/** Counts one delivery in `slot`; resolves with the total of the slots after `oldestSlot`. */
	add: ( slot: number, oldestSlot: number ) => Promise< number >;
}

export interface StormMeterOptions {
	/** The clock (ms); tests pass their own. */
	now?: () => number;
	/** How far back deliveries count towards the rate. */
	windowMs?: number;
	/** How long the rate must stay below the threshold before a storm ends. */
	calmMs?: number;
	/** What all bridges on a shared database received; absent for one bridge. */
	shared?: SharedStormCounts;
}

/** Deliveries per second over a sliding window; a storm while the rate reaches the threshold. */
export class StormMeter {
	private readonly now: () => number;
	private readonly slotMs: number;
	private readonly calmMs: number;
	/** Deliveries in the window that make a storm; 0 disables the meter. */
	private readonly threshold: number;
	private readonly counts: number[] = new Array< number >( SLOTS ).fill( 0 );
	/** Which slot number (time / slotMs) each entry of `counts` holds. */
	private readonly slotOf: number[] = new Array< number >( SLOTS ).fill(
		Number.NEGATIVE_INFINITY
	);
	/** The last time a delivery found the rate at or above the threshold. */
	private surgeAt: number | null = null;
	private readonly startListeners = new Set< () => void >();
	private readonly shared: SharedStormCounts | null;
	/** The last total of all bridges, and the slot it was counted in. */
	private sharedTotal = { n: 0, slot: Number.NEGATIVE_INFINITY };

	/**
	 * @param ratePerSecond Deliveries per second that make a storm; 0 means never.
	 * @param options       Clock, window and calm period.
	 */
	constructor( ratePerSecond: number, options: StormMeterOptions = {} ) {
		const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
		this.now = options.now ?? Date.now;
		this.slotMs = windowMs / SLOTS;
		this.calmMs = options.calmMs ?? DEFAULT_CALM_MS;
		this.threshold = Math.ceil( ( ratePerSecond * windowMs ) / 1000 );
		this.shared = options.shared ?? null;
	}

	/**
	 * Counts one received delivery.
	 * @return Whether a storm is on, this delivery included.
	 */
	record(): boolean {
		if ( this.threshold === 0 ) {
			return false;
		}
		const now = this.now();
		const wasActive = this.isActive();
		this.count( now );
		this.countShared( now );
		if ( this.received( now ) >= this.threshold ) {
			this.surgeAt = now;
			if ( ! wasActive ) {
				this.startListeners.forEach( ( listener ) => listener() );
			}
		}
		return this.isActive();
	}

	/** Whether a storm is on now. */
	isActive(): boolean {
		return this.surgeAt !== null && this.now() - this.surgeAt < this.calmMs;
	}

	/**
	 * Called (synchronously, from `record`) when a storm begins; returns an unsubscribe.
	 * @param listener Called with no argument.
	 */
	onStart( listener: () => void ): () => void {
		this.startListeners.add( listener );
		return () => this.startListeners.delete( listener );
	}

	/**
	 * Counts the delivery for all bridges without making this one wait: the total that comes
	 * back counts from the next delivery on (a storm is a rate: one answer late changes nothing).
	 * A failing database leaves this bridge's own count.
	 */
	private countShared( now: number ): void {
		if ( this.shared === null ) {
			return;
		}
		const slot = Math.floor( now / this.slotMs );
		this.shared
			.add( slot, slot - SLOTS )
			.then( ( n ) => {
				this.sharedTotal = { n, slot };
			} )
			.catch( () => {} );
	}

	/** Deliveries in the window: this bridge's, or all bridges' when that is known and more. */
	private received( now: number ): number {
		const own = this.inWindow( now );
		const fresh =
			this.sharedTotal.slot > Math.floor( now / this.slotMs ) - SLOTS;
		return fresh ? Math.max( own, this.sharedTotal.n ) : own;
	}

	private count( now: number ): void {
		const slot = Math.floor( now / this.slotMs );
		const index = slot % SLOTS;
		if ( this.slotOf[ index ] !== slot ) {
			this.slotOf[ index ] = slot;
			this.counts[ index ] = 0;
		}
		this.counts[ index ] = ( this.counts[ index ] as number ) + 1;
	}

	private inWindow( now: number ): number {
		const oldest = Math.floor( now / this.slotMs ) - SLOTS;
		return this.counts.reduce(
			( sum, count, index ) =>
				( this.slotOf[ index ] as number ) > oldest ? sum + count : sum,
			0
		);
	}
}
