import { statement, type Db } from '../database';
import type { Logger } from '../log';
import type { BridgeSettings } from '../settings';
import type { RunStore } from './run-store';

/**
 * The daily reconciliation: while the owner has it on (Settings » Reconciliation, reaching the
 * bridge through `GET /bridge/settings`), once a day it starts one `reconcile` run per chosen
 * tag, which queues an `add` for each contact of the tag that has no user yet (sources.ts).
 * The next time is stored (table `import_schedule`), so a restart neither skips nor repeats a
 * day; the first run is a day after the setting is first seen on.
 */

export const RECONCILE_INTERVAL_MS = 24 * 60 * 60_000;
const SCHEDULE_NAME = 'reconcile';

export class Reconciler {
	constructor(
		private readonly db: Db,
		private readonly runs: RunStore,
		private readonly settings: () => Promise< BridgeSettings >,
		private readonly onStarted: () => void,
		private readonly logger: Logger,
		private readonly now: () => number = Date.now
	) {}

	/** When the next reconciliation is due (ms), or null while none is scheduled. */
	nextRunAt(): number | null {
		const row = statement(
			this.db,
			'SELECT next_run_at FROM import_schedule WHERE name = ?'
		).get( SCHEDULE_NAME ) as { next_run_at: number } | undefined;
		return row?.next_run_at ?? null;
	}

	/**
	 * Looks at the setting and the schedule; starts the day's runs when due. Returns the ids of
	 * the runs it started.
	 */
	async tick(): Promise< number[] > {
		const { enabled, tagIds } = ( await this.settings() ).reconcile;
		if ( ! enabled || tagIds.length === 0 ) {
			statement(
				this.db,
				'DELETE FROM import_schedule WHERE name = ?'
			).run( SCHEDULE_NAME );
			return [];
		}
		const due = this.nextRunAt();
		if ( due === null ) {
			this.schedule( this.now() + RECONCILE_INTERVAL_MS );
			return [];
		}
		if ( due > this.now() ) {
			return [];
		}
		const started = this.db.transaction( () => {
			this.schedule( this.now() + RECONCILE_INTERVAL_MS );
			// A tag whose run of yesterday is still going is not started twice.
			const busy = new Set( this.runs.activeTags( 'reconcile' ) );
			return tagIds
				.filter( ( tagId ) => ! busy.has( tagId ) )
				.map(
					( tagId ) =>
						this.runs.create(
							{
								kind: 'reconcile',
								tagId,
								role: null,
								sendNotification: false,
								mappedFields: false,
							},
							null
						).id
				);
		} )();
		this.logger.log( 'info', 'reconcile.started', { runs: started } );
		this.onStarted();
		return started;
	}

	private schedule( at: number ): void {
		statement(
			this.db,
			`INSERT INTO import_schedule (name, next_run_at) VALUES (?, ?)
				ON CONFLICT (name) DO UPDATE SET next_run_at = excluded.next_run_at`
		).run( SCHEDULE_NAME, at );
	}
}
