import {
	inTransaction,
	lockUntilCommit,
	tryLockUntilCommit,
	type PgClient,
	type PgPool,
} from '../pg-database';
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

/**
 * The runs in the site's PostgreSQL schema (queue/pg-schema.ts), which every bridge of the site
 * reads: each runs a feeder, and a run's page is taken by one of them at a time (an advisory
 * lock per run held while its page is fetched and queued, then the run read again by the next:
 * no page is asked twice and no cursor goes back); a run or a day's reconciliation is started
 * under a lock, so two bridges asked at once start it once.
 */
export class PgRunStore implements RunStore {
	/**
	 * @param pool A pool on the site's migrated schema (the queue's).
	 * @param now  The clock (ms).
	 */
	constructor(
		private readonly pool: PgPool,
		private readonly now: () => number = Date.now
	) {}

	async start(
		run: NewRun,
		total: number | null,
		exclusiveOf: readonly RunKind[]
	): Promise< RunStart > {
		return inTransaction(
			this.pool,
			async ( client ): Promise< RunStart > => {
				await lockUntilCommit( client, 'import_start', 'runs' );
				const { rows } = await client.query< RunRow >(
					`SELECT * FROM import_runs WHERE state IN ('running', 'paused')
					AND kind = ANY($1) ORDER BY id DESC LIMIT 1`,
					[ exclusiveOf ]
				);
				const active = rows[ 0 ];
				return active === undefined
					? {
							started: true,
							run: await this.insert( client, run, total ),
						}
					: { started: false, active };
			}
		);
	}

	async get( id: number ): Promise< RunRow | null > {
		const { rows } = await this.pool.query< RunRow >(
			'SELECT * FROM import_runs WHERE id = $1',
			[ id ]
		);
		return rows[ 0 ] ?? null;
	}

	async list( limit: number ): Promise< RunRow[] > {
		const { rows } = await this.pool.query< RunRow >(
			'SELECT * FROM import_runs ORDER BY id DESC LIMIT $1',
			[ limit ]
		);
		return rows;
	}

	async running(): Promise< RunRow[] > {
		const { rows } = await this.pool.query< RunRow >(
			`SELECT * FROM import_runs WHERE state = 'running' ORDER BY id`
		);
		return rows;
	}

	async transition(
		id: number,
		from: readonly RunState[],
		to: RunState
	): Promise< boolean > {
		return this.update( this.pool, id, from, to );
	}

	async command(
		id: number,
		from: readonly RunState[],
		to: RunState
	): Promise< boolean > {
		return inTransaction( this.pool, async ( client ) => {
			// Waits for the lock a feed turn holds (withFeedTurn) until that turn has committed.
			await lockUntilCommit( client, 'import_feed', String( id ) );
			return this.update( client, id, from, to );
		} );
	}

	async withFeedTurn< T >(
		id: number,
		feed: ( run: RunRow ) => Promise< T >
	): Promise< T | null > {
		return inTransaction( this.pool, async ( client ) => {
			if (
				! ( await tryLockUntilCommit(
					client,
					'import_feed',
					String( id )
				) )
			) {
				return null;
			}
			// Read under the lock: the cursor the previous turn (of any bridge) left.
			const { rows } = await client.query< RunRow >(
				'SELECT * FROM import_runs WHERE id = $1',
				[ id ]
			);
			const run = rows[ 0 ];
			return run?.state === 'running' ? feed( run ) : null;
		} );
	}

	async recordPage(
		id: number,
		items: readonly RunItem[],
		next: PageRecord
	): Promise< void > {
		await inTransaction( this.pool, async ( client ) => {
			if ( items.length > 0 ) {
				await client.query(
					`INSERT INTO import_items (run_id, contact_id, delivery_id)
						SELECT $1::bigint, * FROM unnest($2::bigint[], $3::text[])
						ON CONFLICT DO NOTHING`,
					[
						id,
						items.map( ( item ) => item.contactId ),
						items.map( ( item ) => item.deliveryId ),
					]
				);
			}
			await client.query(
				`UPDATE import_runs SET cursor = $1, last_page = COALESCE($2, last_page),
						total = COALESCE($3, total), fed_all = $4, error = NULL, updated_at = $5
					WHERE id = $6`,
				[
					next.cursor,
					next.lastPage,
					next.total,
					next.done ? 1 : 0,
					this.now(),
					id,
				]
			);
		} );
	}

	async setTotal( id: number, total: number ): Promise< void > {
		await this.pool.query(
			'UPDATE import_runs SET total = $1, updated_at = $2 WHERE id = $3',
			[ total, this.now(), id ]
		);
	}

	async noteError( id: number, message: string ): Promise< void > {
		await this.pool.query(
			'UPDATE import_runs SET error = $1, updated_at = $2 WHERE id = $3',
			[ message, this.now(), id ]
		);
	}

	async fail( id: number, message: string ): Promise< void > {
		await this.noteError( id, message );
		await this.transition( id, [ 'running' ], 'failed' );
	}

	async counts( id: number ): Promise< RunCounts > {
		const { rows } = await this.pool.query< RunCounts >(
			`${ RUN_COUNTS_SELECT } WHERE i.run_id = $1`,
			[ id ]
		);
		return rows[ 0 ] as RunCounts;
	}

	async reconcileDueAt(): Promise< number | null > {
		return dueAt( this.pool );
	}

	async scheduleReconcile( at: number | null ): Promise< void > {
		await schedule( this.pool, at );
	}

	async startDueReconciliation(
		tagIds: readonly number[],
		now: number,
		nextAt: number
	): Promise< number[] | null > {
		return inTransaction( this.pool, async ( client ) => {
			await lockUntilCommit( client, 'import_start', 'runs' );
			const due = await dueAt( client );
			if ( due === null || due > now ) {
				return null;
			}
			await schedule( client, nextAt );
			// A tag whose run of yesterday is still going is not started twice.
			const { rows } = await client.query< { tag_id: number } >(
				`SELECT tag_id FROM import_runs WHERE kind = 'reconcile'
					AND state IN ('running', 'paused')`
			);
			const busy = new Set( rows.map( ( row ) => row.tag_id ) );
			const started: number[] = [];
			for ( const tagId of tagIds.filter( ( id ) => ! busy.has( id ) ) ) {
				const run = await this.insert(
					client,
					reconcileRun( tagId ),
					null
				);
				started.push( run.id );
			}
			return started;
		} );
	}

	private async update(
		db: Queryable,
		id: number,
		from: readonly RunState[],
		to: RunState
	): Promise< boolean > {
		const now = this.now();
		const { rowCount } = await db.query(
			`UPDATE import_runs SET state = $1, updated_at = $2, finished_at = $3
				WHERE id = $4 AND state = ANY($5)`,
			[ to, now, finishedAt( to, now ), id, from ]
		);
		return ( rowCount ?? 0 ) > 0;
	}

	private async insert(
		client: PgClient,
		run: NewRun,
		total: number | null
	): Promise< RunRow > {
		const now = this.now();
		const { rows } = await client.query< RunRow >(
			`INSERT INTO import_runs (kind, tag_id, role, send_notification, mapped_fields, state,
					total, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $7) RETURNING *`,
			[
				run.kind,
				run.tagId,
				run.role,
				run.sendNotification ? 1 : 0,
				run.mappedFields ? 1 : 0,
				total,
				now,
			]
		);
		return rows[ 0 ] as RunRow;
	}
}

type Queryable = Pick< PgPool, 'query' > | PgClient;

async function dueAt( db: Queryable ): Promise< number | null > {
	const { rows } = await db.query< { next_run_at: number } >(
		'SELECT next_run_at FROM import_schedule WHERE name = $1',
		[ RECONCILE_SCHEDULE ]
	);
	return rows[ 0 ]?.next_run_at ?? null;
}

async function schedule( db: Queryable, at: number | null ): Promise< void > {
	if ( at === null ) {
		await db.query( 'DELETE FROM import_schedule WHERE name = $1', [
			RECONCILE_SCHEDULE,
		] );
		return;
	}
	await db.query(
		`INSERT INTO import_schedule (name, next_run_at) VALUES ($1, $2)
			ON CONFLICT (name) DO UPDATE SET next_run_at = excluded.next_run_at`,
		[ RECONCILE_SCHEDULE, at ]
	);
}
