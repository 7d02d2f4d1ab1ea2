import type { Db } from '../database';
import { ComposedQueue } from './composed-queue';
import { QueueEventBus } from './queue-events';
import { migrate } from './schema';
import { SqliteDeliveryLog } from './sqlite-delivery-log';
import { SqliteIntake } from './sqlite-intake';
import { SqliteJobs } from './sqlite-jobs';
import { SqlitePasswords } from './sqlite-passwords';

/**
 * The embedded queue: one SQLite file, one bridge process. Each concern is its own class over the
 * same file (intake, jobs, passwords, delivery log, and the in-process event bus); this one
 * migrates the file and puts them together (composed-queue.ts).
 */
export class SqliteQueue extends ComposedQueue {
	/**
	 * @param db  The open SQLite file (migrated here).
	 * @param now The clock (ms) for acceptance, due and finish times; tests pass their own.
	 */
	constructor( db: Db, now: () => number = Date.now ) {
		migrate( db );
		const events = new QueueEventBus();
		super( {
			intake: new SqliteIntake( db, events, now ),
			events,
			jobs: new SqliteJobs( db, events, now ),
			passwords: new SqlitePasswords( db ),
			log: new SqliteDeliveryLog( db, events, now ),
		} );
	}
}
