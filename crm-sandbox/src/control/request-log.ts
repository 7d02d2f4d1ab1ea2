export interface RequestLogEntry {
	seq: number;
	time: string;
	method: string;
	path: string;
	/** The route pattern, e.g. `GET /api/v1/contacts/:id`; `GET (unmatched)` when none. */
	endpoint: string;
	/** Sockets are numbered so tests can see connections being kept alive. */
	connection: number;
	status: number | null;
	duration_ms: number | null;
	fault_id: number | null;
}

const MAX_ENTRIES = 20000;

/** Every request the sandbox served outside the control API, and counters per endpoint. */
export class RequestLog {
	private entries: RequestLogEntry[] = [];
	private counters = new Map< string, number >();
	private nextSeq = 1;

	begin(
		entry: Omit<
			RequestLogEntry,
			'seq' | 'status' | 'duration_ms' | 'fault_id'
		>
	): RequestLogEntry {
		const full: RequestLogEntry = {
			...entry,
			seq: this.nextSeq++,
			status: null,
			duration_ms: null,
			fault_id: null,
		};
		this.entries.push( full );
		if ( this.entries.length > MAX_ENTRIES ) {
			this.entries.shift();
		}
		this.counters.set(
			entry.endpoint,
			( this.counters.get( entry.endpoint ) ?? 0 ) + 1
		);
		return full;
	}

	since( seq: number ): RequestLogEntry[] {
		return this.entries.filter( ( entry ) => entry.seq > seq );
	}

	countersSnapshot(): Record< string, number > {
		return Object.fromEntries(
			[ ...this.counters ].sort( ( [ a ], [ b ] ) =>
				a.localeCompare( b )
			)
		);
	}

	clear(): void {
		this.entries = [];
		this.counters.clear();
	}
}
