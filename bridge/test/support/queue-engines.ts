import { openDatabase } from '../../src/database';
import { PgRunStore } from '../../src/imports/pg-run-store';
import type { RunStore } from '../../src/imports/run-store';
import { SqliteRunStore } from '../../src/imports/sqlite-run-store';
import { PgQueue } from '../../src/queue/pg-queue';
import type { ClaimedJob, Queue } from '../../src/queue/queue';
import { SqliteQueue } from '../../src/queue/sqlite-queue';
import { freshDatabase } from './postgres';

/** A queue on a fresh store, with what a test needs to look under it. */
export interface OpenQueue {
	queue: Queue;
	/** Rows in one of the queue's own tables (the same names and columns on both engines). */
	count: (
		table: 'jobs' | 'deliveries' | 'attempts',
		where?: string
	) => Promise< number >;
	/**
	 * The import runs kept beside this queue.
	 * @param now The store's clock (ms).
	 */
	runs: ( now?: () => number ) => RunStore;
	close: () => Promise< void >;
}

export interface QueueEngine {
	name: string;
	open: () => Promise< OpenQueue >;
}

/** The two engines every queue case runs on: SQLite in memory, PostgreSQL on a new database. */
export const QUEUE_ENGINES: QueueEngine[] = [
	{
		name: 'SQLite',
		open: async () => {
			const db = openDatabase( ':memory:' );
			return {
				queue: new SqliteQueue( db ),
				count: async ( table, where = 'TRUE' ) =>
					(
						db
							.prepare(
								`SELECT COUNT(*) AS n FROM ${ table } WHERE ${ where }`
							)
							.get() as { n: number }
					 ).n,
				runs: ( now ) => new SqliteRunStore( db, now ),
				close: async () => {
					db.close();
				},
			};
		},
	},
	{
		name: 'PostgreSQL',
		open: async () => {
			const queue = await PgQueue.open( await freshDatabase() );
			return {
				queue,
				count: async ( table, where = 'TRUE' ) => {
					const { rows } = await queue.pool.query< { n: number } >(
						`SELECT COUNT(*)::int AS n FROM ${ table } WHERE ${ where }`
					);
					return rows[ 0 ]?.n ?? 0;
				},
				runs: ( now ) => new PgRunStore( queue.pool, now ),
				close: () => queue.close(),
			};
		},
	},
];

/**
 * Claims a job, trying again for up to `ms`: on PostgreSQL a turn becomes due on the database's
 * clock (a back-off, a crashed holder's lease), which no clock passed in can move.
 * @param queue The queue.
 * @param ms    How long to keep trying.
 */
export async function claimWithin(
	queue: Queue,
	ms: number
): Promise< ClaimedJob | null > {
	const deadline = Date.now() + ms;
	let job = await queue.claim( Date.now() );
	while ( job === null && Date.now() < deadline ) {
		await new Promise( ( resolve ) => setTimeout( resolve, 100 ) );
		job = await queue.claim( Date.now() );
	}
	return job;
}
