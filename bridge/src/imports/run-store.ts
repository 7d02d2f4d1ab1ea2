import type { RunKind, RunState } from '@pulse-sync/contracts';

/**
 * Import, resync and reconciliation runs, kept beside the queue they feed: in the bridge's
 * SQLite file (sqlite-run-store.ts) or in the site's PostgreSQL schema that several bridges
 * share (pg-run-store.ts); same tables and columns on both (queue/schema.ts, queue/pg-schema.ts).
 * A run walks a list of contacts page by page (its `cursor`: the last CRM page queued, or the
 * last contact id for a resync) and queues one delivery per contact through the queue, like a
 * webhook. Its counters are read from those deliveries' jobs, never kept apart from them, so
 * they are right after a restart and say what really happened.
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

/** Where a run's cursor goes after a page (RunStore.recordPage). */
export interface PageRecord {
	/** The new cursor. */
	cursor: number;
	/** The CRM's last page, when known. */
	lastPage: number | null;
	/** The list's size, when the page says. */
	total: number | null;
	/** True when no page is left. */
	done: boolean;
}

/** What RunStore.start did: the run it created, or the active run that kept it from starting. */
export type RunStart =
	{ started: true; run: RunRow } | { started: false; active: RunRow };

export interface RunStore {
	/**
	 * Creates a running run, unless a run of one of `exclusiveOf` is running or paused: one
	 * check and insert, so two bridges asked at once start one run.
	 * @param run         The run.
	 * @param total       The list's size, when known.
	 * @param exclusiveOf Kinds of which only one run may be active.
	 */
	start: (
		run: NewRun,
		total: number | null,
		exclusiveOf: readonly RunKind[]
	) => Promise< RunStart >;
	get: ( id: number ) => Promise< RunRow | null >;
	/** Newest first. */
	list: ( limit: number ) => Promise< RunRow[] >;
	running: () => Promise< RunRow[] >;
	/**
	 * Moves a run from one of `from` to `to`; false when it was in no such state.
	 * @param id   The run.
	 * @param from States the change applies to.
	 * @param to   The new state.
	 */
	transition: (
		id: number,
		from: readonly RunState[],
		to: RunState
	) => Promise< boolean >;
	/**
	 * A state change the owner asked for (pause, resume, cancel): as `transition`, after waiting
	 * for a feed turn of the run in progress (of any bridge), so that once a pause or a cancel is
	 * answered no page of the run is queued after it.
	 * @param id   The run.
	 * @param from States the change applies to.
	 * @param to   The new state.
	 */
	command: (
		id: number,
		from: readonly RunState[],
		to: RunState
	) => Promise< boolean >;
	/**
	 * Runs `feed` with the run as stored now, while no other feeder (of any bridge sharing the
	 * store) has this run's turn; null without calling it when another has it, or when the run
	 * is no longer running.
	 * @param id   The run.
	 * @param feed Takes the next page and records it (recordPage).
	 */
	withFeedTurn: < T >(
		id: number,
		feed: ( run: RunRow ) => Promise< T >
	) => Promise< T | null >;
	/**
	 * Records the contacts of one page and moves the cursor past it, in one transaction. The
	 * feeder queues the page's deliveries first: after a crash in between, the page is taken
	 * again, and the queue's accept, idempotent by delivery id, queues nothing twice.
	 * @param id    The run.
	 * @param items The page's contacts.
	 * @param next  Cursor, last page and whether the list is exhausted after this page.
	 */
	recordPage: (
		id: number,
		items: readonly RunItem[],
		next: PageRecord
	) => Promise< void >;
	/**
	 * The size of the run's list, once counted (the progress bar is drawn against it).
	 * @param id    The run.
	 * @param total Contacts the list holds.
	 */
	setTotal: ( id: number, total: number ) => Promise< void >;
	noteError: ( id: number, message: string ) => Promise< void >;
	/** Notes the error and moves a running run to `failed`. */
	fail: ( id: number, message: string ) => Promise< void >;
	counts: ( id: number ) => Promise< RunCounts >;
	/** When the daily reconciliation is next due (ms), or null while none is scheduled. */
	reconcileDueAt: () => Promise< number | null >;
	/**
	 * Schedules the next reconciliation, or (null) none.
	 * @param at When (ms).
	 */
	scheduleReconcile: ( at: number | null ) => Promise< void >;
	/**
	 * When the reconciliation is due at `now`: moves it to `nextAt` and starts one `reconcile`
	 * run per tag that has none running or paused, in one transaction, so a day's runs start
	 * once across bridges. The ids started; null when it was not due (another bridge took it).
	 * @param tagIds The tags to reconcile.
	 * @param now    The time it is (ms).
	 * @param nextAt The next time it is due (ms).
	 */
	startDueReconciliation: (
		tagIds: readonly number[],
		now: number,
		nextAt: number
	) => Promise< number[] | null >;
}

/** Contacts a reconciliation found already linked have no delivery: they count as skipped. */
export const RUN_COUNTS_SELECT = `
	SELECT COUNT(*) AS found,
		COUNT(*) FILTER (WHERE i.delivery_id IS NULL OR j.state IN ('done', 'failed')) AS processed,
		COUNT(*) FILTER (WHERE j.state = 'done' AND j.result_status = 'created') AS created,
		COUNT(*) FILTER (WHERE j.state = 'done' AND j.result_status = 'updated') AS updated,
		COUNT(*) FILTER (WHERE i.delivery_id IS NULL
			OR (j.state = 'done' AND j.result_status = 'skipped')) AS skipped,
		COUNT(*) FILTER (WHERE j.state = 'failed') AS failed,
		COUNT(*) FILTER (WHERE j.state IN ('queued', 'in_progress')) AS outstanding
	FROM import_items i
	LEFT JOIN deliveries d ON d.id = i.delivery_id
	LEFT JOIN jobs j ON j.id = d.job_id`;

/**
 * The run a day's reconciliation starts for one tag.
 * @param tagId The tag.
 */
export function reconcileRun( tagId: number ): NewRun {
	return {
		kind: 'reconcile',
		tagId,
		role: null,
		sendNotification: false,
		mappedFields: false,
	};
}

/** The schedule row of the daily reconciliation (table `import_schedule`). */
export const RECONCILE_SCHEDULE = 'reconcile';

/**
 * When a state change ends a run (ms), or null when the run goes on.
 * @param to  The new state.
 * @param now The time it is.
 */
export function finishedAt( to: RunState, now: number ): number | null {
	return to === 'running' || to === 'paused' ? null : now;
}
