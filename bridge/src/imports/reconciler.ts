import type { Logger } from '../log';
import type { BridgeSettings } from '../settings';
import type { RunStore } from './run-store';

/**
 * The daily reconciliation: while the owner has it on (Settings » Reconciliation, reaching the
 * bridge through `GET /bridge/settings`), once a day it starts one `reconcile` run per chosen
 * tag, which queues an `add` for each contact of the tag that has no user yet (sources.ts).
 * The next time is stored (table `import_schedule`), so a restart neither skips nor repeats a
 * day, and bridges sharing a database start the day's runs once; the first run is a day after
 * the setting is first seen on.
 */

export const RECONCILE_INTERVAL_MS = 24 * 60 * 60_000;

export class Reconciler {
	constructor(
		private readonly runs: RunStore,
		private readonly settings: () => Promise< BridgeSettings >,
		private readonly onStarted: () => void,
		private readonly logger: Logger,
		private readonly now: () => number = Date.now
	) {}

	/** When the next reconciliation is due (ms), or null while none is scheduled. */
	nextRunAt(): Promise< number | null > {
		return this.runs.reconcileDueAt();
	}

	/**
	 * Looks at the setting and the schedule; starts the day's runs when due. Returns the ids of
	 * the runs it started.
	 */
	async tick(): Promise< number[] > {
		const { enabled, tagIds } = ( await this.settings() ).reconcile;
		if ( ! enabled || tagIds.length === 0 ) {
			await this.runs.scheduleReconcile( null );
			return [];
		}
		const due = await this.runs.reconcileDueAt();
		if ( due === null ) {
			await this.runs.scheduleReconcile(
				this.now() + RECONCILE_INTERVAL_MS
			);
			return [];
		}
		if ( due > this.now() ) {
			return [];
		}
		const started = await this.runs.startDueReconciliation(
			tagIds,
			this.now(),
			this.now() + RECONCILE_INTERVAL_MS
		);
		if ( started === null ) {
			return [];
		}
		this.logger.log( 'info', 'reconcile.started', { runs: started } );
		this.onStarted();
		return started;
	}
}
