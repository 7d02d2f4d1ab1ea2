import { openDatabase } from '../../src/database';
import { PgQueue } from '../../src/queue/pg-queue';
import type { Queue } from '../../src/queue/queue';
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
				close: () => queue.close(),
			};
		},
	},
];
