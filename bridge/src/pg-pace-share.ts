import { randomUUID } from 'node:crypto';

import {
	initialPaceState,
	StartSequence,
	type PaceChange,
	type PaceShare,
	type PaceState,
} from './crm/pace-share';
import type { Logger } from './log';
import { inTransaction, type PgPool } from './pg-database';

/** How often a busy bridge reads the account's pace again, and says it has CRM work. */
const REFRESH_MS = 250;
/**
 * A bridge that has not looked at the pace this long is not counted as sharing it: it has no CRM
 * work (a bridge waiting for the pace looks every 250 ms, crm/pacer.ts).
 */
const SHARER_FOR_MS = 2000;
/** Sharers not seen for this long are deleted, now and then. */
const FORGET_SHARERS_MS = 60_000;

/**
 * A CRM account's pace shared by the bridges on one database (`crm_pace` and
 * `crm_pace_sharers` in the site's schema, queue/pg-schema.ts). A change applies here at once and
 * then, in order, to the row under its lock, so a 429 one bridge sees pauses and slows every
 * bridge once; a bridge with CRM work reads the row every `REFRESH_MS`. While there is a pace,
 * every start takes the next slot of the row's sequence (one UPDATE), so the bridges together
 * start at the pace whichever of them has the work. The bridges that looked within
 * `SHARER_FOR_MS` are counted for the first decrease (what all of them accepted). The clock is
 * each bridge's own (hosts keep time with NTP; a few ms of skew do not matter at this scale).
 */
export class PgPaceShare implements PaceShare {
	private state: PaceState;
	private sharing = 1;
	private readAt = -Infinity;
	private reading: Promise< void > | null = null;
	private writing: Promise< void > = Promise.resolve();
	private pendingWrites = 0;
	private wantedAt = -Infinity;
	/** Starts while the row cannot be reached (or is not written yet): spaced here alone. */
	private readonly fallback = new StartSequence();
	private refreshes = 0;
	private readonly sharer = randomUUID();

	/**
	 * @param pool       The site's migrated database.
	 * @param accountUrl The CRM account, as CrmPacers keys it.
	 * @param logger     Where a failed read or write of the row is logged (the pace here goes on).
	 * @param now        The clock (ms).
	 */
	constructor(
		private readonly pool: PgPool,
		private readonly accountUrl: string,
		private readonly logger: Logger,
		private readonly now: () => number = Date.now
	) {
		this.state = initialPaceState( now() );
	}

	current(): PaceState {
		if ( this.reading === null && this.now() - this.readAt >= REFRESH_MS ) {
			void this.refresh();
		}
		return this.state;
	}

	change( apply: PaceChange ): PaceState {
		this.state = apply( this.state, this.sharing );
		this.pendingWrites++;
		this.writing = this.writing
			.then( () => this.write( apply ) )
			.catch( ( error: unknown ) => this.failed( 'write', error ) )
			.finally( () => {
				this.pendingWrites--;
			} );
		return this.state;
	}

	wanted(): void {
		this.wantedAt = this.now();
	}

	async reserve( spacingMs: number, now: number ): Promise< number > {
		try {
			const { rows } = await this.pool.query< { at: number } >(
				`UPDATE crm_pace SET next_start_at = GREATEST(next_start_at, $2) + $3
				WHERE account_url = $1 RETURNING next_start_at - $3 AS at`,
				[ this.accountUrl, now, spacingMs ]
			);
			if ( rows[ 0 ] !== undefined ) {
				return rows[ 0 ].at;
			}
		} catch ( error ) {
			this.failed( 'reserve', error );
		}
		return this.fallback.take( spacingMs, now );
	}

	/** Reads the account's pace and the bridges sharing it, and says this one does. */
	refresh(): Promise< void > {
		this.reading ??= this.read()
			.catch( ( error: unknown ) => this.failed( 'read', error ) )
			.finally( () => {
				this.reading = null;
			} );
		return this.reading;
	}

	/** Resolves when every change made so far is in the row. */
	settled(): Promise< void > {
		return this.writing;
	}

	private async read(): Promise< void > {
		const now = this.now();
		if ( ++this.refreshes % 1000 === 0 ) {
			await this.pool.query(
				'DELETE FROM crm_pace_sharers WHERE seen_at < $1',
				[ now - FORGET_SHARERS_MS ]
			);
		}
		// Only a bridge with a request waiting takes a share (not one whose status was looked at).
		// The statement's snapshot does not see its own upsert: this bridge is the `+ 1`.
		const sharing = now - this.wantedAt < SHARER_FOR_MS;
		const { rows } = await this.pool.query< {
			state: PaceState | null;
			others: string;
		} >(
			`WITH seen AS (
				INSERT INTO crm_pace_sharers (account_url, sharer, seen_at)
				SELECT $1, $2, $3 WHERE $5
				ON CONFLICT (account_url, sharer) DO UPDATE SET seen_at = EXCLUDED.seen_at
			)
			SELECT (SELECT state FROM crm_pace WHERE account_url = $1) AS state,
				(SELECT COUNT(*) FROM crm_pace_sharers
					WHERE account_url = $1 AND sharer <> $2 AND seen_at > $4) AS others`,
			[ this.accountUrl, this.sharer, now, now - SHARER_FOR_MS, sharing ]
		);
		const row = rows[ 0 ];
		this.sharing = 1 + Number( row?.others ?? 0 );
		this.readAt = now;
		// A change still on its way to the row would be undone here until it lands.
		if ( row?.state && this.pendingWrites === 0 ) {
			this.state = row.state;
		}
	}

	private async write( apply: PaceChange ): Promise< void > {
		const next = await inTransaction( this.pool, async ( client ) => {
			await client.query(
				`INSERT INTO crm_pace (account_url, state) VALUES ($1, $2)
				ON CONFLICT (account_url) DO NOTHING`,
				[ this.accountUrl, initialPaceState( this.now() ) ]
			);
			const { rows } = await client.query< {
				state: PaceState;
				others: string;
			} >(
				`SELECT state, (SELECT COUNT(*) FROM crm_pace_sharers
					WHERE account_url = $1 AND sharer <> $2 AND seen_at > $3) AS others
				FROM crm_pace WHERE account_url = $1 FOR UPDATE`,
				[ this.accountUrl, this.sharer, this.now() - SHARER_FOR_MS ]
			);
			const row = rows[ 0 ]!;
			// Counted again here: at the start of a storm the last read may be too old to know.
			this.sharing = 1 + Number( row.others );
			const changed = apply( row.state, this.sharing );
			await client.query(
				'UPDATE crm_pace SET state = $2 WHERE account_url = $1',
				[ this.accountUrl, changed ]
			);
			return changed;
		} );
		// The last change in the queue has applied every change before it.
		if ( this.pendingWrites === 1 ) {
			this.state = next;
		}
	}

	private failed( what: 'read' | 'write' | 'reserve', error: unknown ): void {
		this.logger.log( 'warn', 'crm.pace_share_failed', {
			[ what ]: true,
			error: error instanceof Error ? error.message : String( error ),
		} );
	}
}
