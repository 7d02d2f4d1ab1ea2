import type { RunKind, RunState } from '@pulse-sync/contracts';
import { statement, type Db } from '../database';
import { migrate } from '../queue/schema';

/**
 * Import, resync and reconciliation runs in the bridge's SQLite file (tables in
 * queue/schema.ts). A run walks a list of contacts page by page (its `cursor`: the last CRM
 * page queued, or the last contact id for a resync) and queues one delivery per contact through
 * the queue, like a webhook. Its counters are read from those deliveries' jobs, never kept
 * apart from them, so they are right after a restart and say what really happened.
 */

export type { RunKind, RunState };

export interface NewRun {
	kind: RunKind;
	tagId: number | null;
	role: string | null;
	sendNotification: boolean;
	/** Resync: `update` (mapped fields and tags) instead of `update_tags`. */
	mappedFields: boolean;
}

export interface RunRow {
	id: number;
	kind: RunKind;
	tag_id: number | null;
	role: string | null;
	send_notification: number;
	mapped_fields: number;
	state: RunState;
	cursor: number;
	last_page: number | null;
	total: number | null;
	fed_all: number;
	error: string | null;
	created_at: number;
	updated_at: number;
	finished_at: number | null;
}

export interface RunCounts {
	/** Contacts the run has taken from its list so far. */
	found: number;
	processed: number;
	created: number;
	updated: number;
	skipped: number;
	failed: number;
	/** Queued or running now. */
	outstanding: number;
}

/** A contact taken from the list: queued as `deliveryId`, or null when there was nothing to do. */
export interface RunItem {
	contactId: number;
	deliveryId: string | null;
}

// Contacts a reconciliation found already linked have no delivery: they count as skipped.
const COUNTS_SQL = `
	SELECT COUNT(*) AS found,
		COALESCE(SUM(i.delivery_id IS NULL OR j.state IN ('done', 'failed')), 0) AS processed,
		COALESCE(SUM(j.state = 'done' AND j.result_status = 'created'), 0) AS created,
		COALESCE(SUM(j.state = 'done' AND j.result_status = 'updated'), 0) AS updated,
		COALESCE(SUM(i.delivery_id IS NULL OR (j.state = 'done' AND j.result_status = 'skipped')), 0) AS skipped,
		COALESCE(SUM(j.state = 'failed'), 0) AS failed,
		COALESCE(SUM(j.state IN ('queued', 'in_progress')), 0) AS outstanding
	FROM import_items i
	LEFT JOIN deliveries d ON d.id = i.delivery_id
	LEFT JOIN jobs j ON j.id = d.job_id
	WHERE i.run_id = ?`;

const ACTIVE: readonly RunState[] = [ 'running', 'paused' ];

export class RunStore {
	/**
	 * @param db  The bridge's SQLite file (migrated here, as the queue does: the tables are one schema).
	 * @param now The clock (ms).
	 */
	constructor(
		private readonly db: Db,
		private readonly now: () => number = Date.now
	) {
		migrate( db );
	}

	create( run: NewRun, total: number | null ): RunRow {
		const now = this.now();
		return statement(
			this.db,
			`INSERT INTO import_runs (kind, tag_id, role, send_notification, mapped_fields, state, total,
					created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?) RETURNING *`
		).get(
			run.kind,
			run.tagId,
			run.role,
			run.sendNotification ? 1 : 0,
			run.mappedFields ? 1 : 0,
			total,
			now,
			now
		) as RunRow;
	}

	get( id: number ): RunRow | null {
		return (
			( statement(
				this.db,
				'SELECT * FROM import_runs WHERE id = ?'
			).get( id ) as RunRow | undefined ) ?? null
		);
	}

	/** Newest first. */
	list( limit: number ): RunRow[] {
		return statement(
			this.db,
			'SELECT * FROM import_runs ORDER BY id DESC LIMIT ?'
		).all( limit ) as RunRow[];
	}

	running(): RunRow[] {
		return statement(
			this.db,
			`SELECT * FROM import_runs WHERE state = 'running' ORDER BY id`
		).all() as RunRow[];
	}

	/** A running or paused run of one of these kinds, the newest. */
	active( kinds: readonly RunKind[] ): RunRow | null {
		return (
			( statement(
				this.db,
				`SELECT * FROM import_runs WHERE state IN (${ ACTIVE.map( () => '?' ).join( ',' ) })
					AND kind IN (${ kinds.map( () => '?' ).join( ',' ) }) ORDER BY id DESC LIMIT 1`
			).get( ...ACTIVE, ...kinds ) as RunRow | undefined ) ?? null
		);
	}

	/** The tags of the running or paused runs of this kind. */
	activeTags( kind: RunKind ): number[] {
		return (
			statement(
				this.db,
				`SELECT tag_id FROM import_runs WHERE kind = ? AND state IN ('running', 'paused')`
			).all( kind ) as { tag_id: number }[]
		 ).map( ( row ) => row.tag_id );
	}

	/**
	 * Moves a run from one of `from` to `to`; false when it was in no such state.
	 * @param id   The run.
	 * @param from States the change applies to.
	 * @param to   The new state.
	 */
	transition( id: number, from: readonly RunState[], to: RunState ): boolean {
		const finished =
			to === 'running' || to === 'paused' ? null : this.now();
		return (
			statement(
				this.db,
				`UPDATE import_runs SET state = ?, updated_at = ?, finished_at = ?
					WHERE id = ? AND state IN (${ from.map( () => '?' ).join( ',' ) })`
			).run( to, this.now(), finished, id, ...from ).changes > 0
		);
	}

	/**
	 * Records the contacts of one page and moves the cursor past it, in one transaction. The
	 * feeder queues the page's deliveries first: after a crash in between, the page is taken
	 * again, and the queue's accept, idempotent by delivery id, queues nothing twice.
	 * @param id            The run.
	 * @param items         The page's contacts.
	 * @param next          Cursor, last page and whether the list is exhausted after this page.
	 * @param next.cursor   The new cursor.
	 * @param next.lastPage The CRM's last page, when known.
	 * @param next.total    The list's size, when the page says.
	 * @param next.done     True when no page is left.
	 */
	recordPage(
		id: number,
		items: readonly RunItem[],
		next: {
			cursor: number;
			lastPage: number | null;
			total: number | null;
			done: boolean;
		}
	): void {
		this.db.transaction( () => {
			const insert = statement(
				this.db,
				'INSERT OR IGNORE INTO import_items (run_id, contact_id, delivery_id) VALUES (?, ?, ?)'
			);
			for ( const item of items ) {
				insert.run( id, item.contactId, item.deliveryId );
			}
			statement(
				this.db,
				`UPDATE import_runs SET cursor = ?, last_page = COALESCE(?, last_page),
						total = COALESCE(?, total), fed_all = ?, error = NULL,
						updated_at = ?
					WHERE id = ?`
			).run(
				next.cursor,
				next.lastPage,
				next.total,
				next.done ? 1 : 0,
				this.now(),
				id
			);
		} )();
	}

	/**
	 * The size of the run's list, once counted (the progress bar is drawn against it).
	 * @param id    The run.
	 * @param total Contacts the list holds.
	 */
	setTotal( id: number, total: number ): void {
		statement(
			this.db,
			'UPDATE import_runs SET total = ?, updated_at = ? WHERE id = ?'
		).run( total, this.now(), id );
	}

	noteError( id: number, message: string ): void {
		statement(
			this.db,
			'UPDATE import_runs SET error = ?, updated_at = ? WHERE id = ?'
		).run( message, this.now(), id );
	}

	fail( id: number, message: string ): void {
		this.noteError( id, message );
		this.transition( id, [ 'running' ], 'failed' );
	}

	counts( id: number ): RunCounts {
		return statement( this.db, COUNTS_SQL ).get( id ) as RunCounts;
	}
}
