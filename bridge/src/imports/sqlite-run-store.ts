import { statement, type Db } from '../database';
import { migrate } from '../queue/schema';
import {
	finishedAt,
	RECONCILE_SCHEDULE,
	reconcileRun,
	RUN_COUNTS_SELECT,
	type NewRun,
	type PageRecord,
	type RunCounts,
	type RunItem,
	type RunKind,
	type RunRow,
	type RunStart,
	type RunState,
	type RunStore,
} from './run-store';

const placeholders = ( values: readonly unknown[] ): string =>
	values.map( () => '?' ).join( ',' );

/**
 * The runs in the bridge's SQLite file (run-store.ts). One bridge owns the file, so its
 * transactions and its own feed turns (kept in memory) are its only guards.
 */
export class SqliteRunStore implements RunStore {
	/** The feed turn of each run in progress, settled or not (command() waits for it). */
	private readonly turns = new Map< number, Promise< void > >();

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

	async start(
		run: NewRun,
		total: number | null,
		exclusiveOf: readonly RunKind[]
	): Promise< RunStart > {
		return this.db.transaction( (): RunStart => {
			const active = this.activeOf( exclusiveOf );
			return active === null
				? { started: true, run: this.insert( run, total ) }
				: { started: false, active };
		} )();
	}

	async get( id: number ): Promise< RunRow | null > {
		return this.row( id );
	}

	async list( limit: number ): Promise< RunRow[] > {
		return statement(
			this.db,
			'SELECT * FROM import_runs ORDER BY id DESC LIMIT ?'
		).all( limit ) as RunRow[];
	}

	async running(): Promise< RunRow[] > {
		return statement(
			this.db,
			`SELECT * FROM import_runs WHERE state = 'running' ORDER BY id`
		).all() as RunRow[];
	}

	async transition(
		id: number,
		from: readonly RunState[],
		to: RunState
	): Promise< boolean > {
		return this.update( id, from, to );
	}

	async command(
		id: number,
		from: readonly RunState[],
		to: RunState
	): Promise< boolean > {
		// No await between the last turn's end and the update: no new turn starts in between,
		// and the next one reads the new state.
		for (
			let turn = this.turns.get( id );
			turn !== undefined;
			turn = this.turns.get( id )
		) {
			await turn;
		}
		return this.update( id, from, to );
	}

	async withFeedTurn< T >(
		id: number,
		feed: ( run: RunRow ) => Promise< T >
	): Promise< T | null > {
		const run = this.row( id );
		if ( run?.state !== 'running' ) {
			return null;
		}
		const turn = feed( run );
		const settled = turn.then(
			() => undefined,
			() => undefined
		);
		this.turns.set( id, settled );
		try {
			return await turn;
		} finally {
			this.turns.delete( id );
		}
	}

	async recordPage(
		id: number,
		items: readonly RunItem[],
		next: PageRecord
	): Promise< void > {
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

	async setTotal( id: number, total: number ): Promise< void > {
		statement(
			this.db,
			'UPDATE import_runs SET total = ?, updated_at = ? WHERE id = ?'
		).run( total, this.now(), id );
	}

	async noteError( id: number, message: string ): Promise< void > {
		statement(
			this.db,
			'UPDATE import_runs SET error = ?, updated_at = ? WHERE id = ?'
		).run( message, this.now(), id );
	}

	async fail( id: number, message: string ): Promise< void > {
		await this.noteError( id, message );
		await this.transition( id, [ 'running' ], 'failed' );
	}

	async counts( id: number ): Promise< RunCounts > {
		return statement(
			this.db,
			`${ RUN_COUNTS_SELECT } WHERE i.run_id = ?`
		).get( id ) as RunCounts;
	}

	async reconcileDueAt(): Promise< number | null > {
		return this.dueAt();
	}

	async scheduleReconcile( at: number | null ): Promise< void > {
		this.schedule( at );
	}

	async startDueReconciliation(
		tagIds: readonly number[],
		now: number,
		nextAt: number
	): Promise< number[] | null > {
		return this.db.transaction( (): number[] | null => {
			const due = this.dueAt();
			if ( due === null || due > now ) {
				return null;
			}
			this.schedule( nextAt );
			// A tag whose run of yesterday is still going is not started twice.
			const busy = new Set(
				(
					statement(
						this.db,
						`SELECT tag_id FROM import_runs WHERE kind = 'reconcile'
							AND state IN ('running', 'paused')`
					).all() as { tag_id: number }[]
				 ).map( ( row ) => row.tag_id )
			);
			return tagIds
				.filter( ( tagId ) => ! busy.has( tagId ) )
				.map(
					( tagId ) => this.insert( reconcileRun( tagId ), null ).id
				);
		} )();
	}

	private update(
		id: number,
		from: readonly RunState[],
		to: RunState
	): boolean {
		const now = this.now();
		return (
			statement(
				this.db,
				`UPDATE import_runs SET state = ?, updated_at = ?, finished_at = ?
					WHERE id = ? AND state IN (${ placeholders( from ) })`
			).run( to, now, finishedAt( to, now ), id, ...from ).changes > 0
		);
	}

	private row( id: number ): RunRow | null {
		return (
			( statement(
				this.db,
				'SELECT * FROM import_runs WHERE id = ?'
			).get( id ) as RunRow | undefined ) ?? null
		);
	}

	private activeOf( kinds: readonly RunKind[] ): RunRow | null {
		return (
			( statement(
				this.db,
				`SELECT * FROM import_runs WHERE state IN ('running', 'paused')
					AND kind IN (${ placeholders( kinds ) }) ORDER BY id DESC LIMIT 1`
			).get( ...kinds ) as RunRow | undefined ) ?? null
		);
	}

	private insert( run: NewRun, total: number | null ): RunRow {
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

	private dueAt(): number | null {
		const row = statement(
			this.db,
			'SELECT next_run_at FROM import_schedule WHERE name = ?'
		).get( RECONCILE_SCHEDULE ) as { next_run_at: number } | undefined;
		return row?.next_run_at ?? null;
	}

	private schedule( at: number | null ): void {
		if ( at === null ) {
			statement(
				this.db,
				'DELETE FROM import_schedule WHERE name = ?'
			).run( RECONCILE_SCHEDULE );
			return;
		}
		statement(
			this.db,
			`INSERT INTO import_schedule (name, next_run_at) VALUES (?, ?)
				ON CONFLICT (name) DO UPDATE SET next_run_at = excluded.next_run_at`
		).run( RECONCILE_SCHEDULE, at );
	}
}
