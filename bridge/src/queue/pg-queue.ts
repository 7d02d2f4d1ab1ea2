import { openPgPool, type PgPool } from '../pg-database';
import { siteSchemas, type SiteSchemas } from '../site-schemas';
import { ComposedQueue } from './composed-queue';
import { PgDeliveryLog } from './pg-delivery-log';
import { PgIntake } from './pg-intake';
import { PgJobs } from './pg-jobs';
import { PgPasswords } from './pg-passwords';
import {
	ContactQueueEngine,
	DEFAULT_ENGINE_OPTIONS,
	type EngineOptions,
} from './pg-queue-engine';
import { PgQueueEvents } from './pg-queue-events';
import { migratePg } from './pg-schema';

/**
 * The shared queue of one site: PostgreSQL, for several bridges in front of it. pg-boss owns which
 * contact runs where (pg-queue-engine.ts); the bridge's tables hold the rest (pg-schema.ts);
 * NOTIFY carries the events to every bridge (pg-queue-events.ts). Each concern is its own class,
 * as in SqliteQueue (composed-queue.ts); this one opens them, in order, and closes them.
 */
export class PgQueue extends ComposedQueue {
	private constructor(
		readonly pool: PgPool,
		private readonly engine: ContactQueueEngine,
		private readonly listener: PgQueueEvents,
		now: () => number
	) {
		super( {
			intake: new PgIntake( pool, engine, now ),
			events: listener,
			jobs: new PgJobs( pool, engine, now ),
			passwords: new PgPasswords( pool ),
			log: new PgDeliveryLog( pool, engine, now ),
		} );
	}

	/**
	 * Migrates the database, starts pg-boss and listens for the other bridges' changes.
	 * @param url     The `postgres://…` database.
	 * @param now     The clock (ms) for acceptance, due and finish times.
	 * @param options pg-boss's lease and maintenance intervals (tests shorten them).
	 * @param schemas The site's schemas (the first site's by default).
	 */
	static async open(
		url: string,
		now: () => number = Date.now,
		options: EngineOptions = DEFAULT_ENGINE_OPTIONS,
		schemas: SiteSchemas = siteSchemas( null )
	): Promise< PgQueue > {
		const pool = openPgPool( url, undefined, schemas.tables );
		const engine = new ContactQueueEngine( url, options, schemas.boss );
		const events = new PgQueueEvents( url, schemas.tables );
		let engineStarted = false;
		try {
			await migratePg( pool, schemas.tables );
			engineStarted = true;
			await engine.start();
			await events.start();
		} catch ( error ) {
			// Nothing of a store that did not open stays connected (a later poll opens it again).
			if ( engineStarted ) {
				await engine.stop().catch( () => {} );
			}
			await pool.end().catch( () => {} );
			throw error;
		}
		return new PgQueue( pool, engine, events, now );
	}

	async close(): Promise< void > {
		await this.listener.stop();
		await this.engine.stop();
		await this.pool.end();
	}
}
