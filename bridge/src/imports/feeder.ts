import { classifyFailure } from '../jobs/failure';
import type { Logger } from '../log';
import type { DeliveryAction } from '../queue/merge';
import type { DeliverySource, Queue } from '../queue/queue';
import type { RunKind, RunRow, RunStore } from './run-store';
import { nextPage, type SourceClients } from './sources';

/**
 * Feeds running runs into the queue, a page at a time, through `Queue.accept` exactly as a
 * webhook delivery arrives: the same merging per contact, one job per contact at a time, the
 * same user write. A run queues its next page only while fewer than `window` of its deliveries
 * are queued or running, so webhooks that arrive meanwhile wait behind at most one window of
 * imported contacts; a pause or a cancel waits for the page being queued (RunStore.command).
 */

export interface FeederOptions {
	/** A run queues its next page only while fewer of its deliveries than this are open. */
	window: number;
	/** How often running runs are looked at when nothing wakes the feeder (ms). */
	pollMs: number;
	/** Wait before a run's page is asked for again after a retryable failure (ms). */
	retryMs: number;
	logger: Logger;
}

/** Two user-write batches of 50: the queue always holds work while the next page loads. */
export const FEED_WINDOW = 100;

/** What an imported contact's delivery asks for, by kind of run. */
function actionOf( run: RunRow ): DeliveryAction {
	if ( run.kind === 'resync' ) {
		return run.mapped_fields ? 'update' : 'update_tags';
	}
	return 'add';
}

const ID_PREFIX: Record< RunKind, string > = {
	import: 'imp',
	resync: 'rsy',
	reconcile: 'rec',
};

/**
 * The delivery id of a contact in a run: the same after a restart, so a page queued again is
 * stored once (the queue is idempotent by delivery id) and WordPress sees one `delivery_id`.
 * @param run       The run.
 * @param contactId The contact.
 */
export function runDeliveryId( run: RunRow, contactId: number ): string {
	return `${ ID_PREFIX[ run.kind ] }_${ run.id }_${ contactId }`;
}

export class ImportFeeder {
	private stopped = false;
	private loop: Promise< void > = Promise.resolve();
	private wakeUp: () => void = () => {};
	/** Runs whose last page failed, and when they may try again. */
	private readonly backoff = new Map< number, number >();

	constructor(
		private readonly runs: RunStore,
		private readonly queue: Queue,
		private readonly clients: SourceClients,
		private readonly options: FeederOptions,
		private readonly now: () => number = Date.now
	) {}

	start(): void {
		const offSettled = this.queue.onSettled( () => this.wake() );
		this.loop = this.run().finally( offSettled );
	}

	async stop(): Promise< void > {
		this.stopped = true;
		this.wake();
		await this.loop;
	}

	/** Looks at the runs now (a run started, resumed, or a job settled). */
	wake(): void {
		this.wakeUp();
	}

	private async run(): Promise< void > {
		while ( ! this.stopped ) {
			let fed = false;
			try {
				fed = await this.feedOnce();
			} catch ( error ) {
				this.options.logger.log( 'error', 'import.feed_failed', {
					error,
				} );
			}
			if ( ! fed && ! this.stopped ) {
				await new Promise< void >( ( resolve ) => {
					const timer = setTimeout( resolve, this.options.pollMs );
					this.wakeUp = () => {
						clearTimeout( timer );
						resolve();
					};
				} );
			}
		}
	}

	/**
	 * One page for each running run that has room, and completes the runs whose every contact
	 * is done; true when a page was queued. The loop calls it; tests call it directly. A run
	 * whose turn another bridge's feeder has is left to it (RunStore.withFeedTurn).
	 */
	async feedOnce(): Promise< boolean > {
		let fed = false;
		for ( const listed of await this.runs.running() ) {
			if ( this.stopped ) {
				break;
			}
			if ( ( this.backoff.get( listed.id ) ?? 0 ) > this.now() ) {
				continue;
			}
			const queued = await this.runs.withFeedTurn( listed.id, ( run ) =>
				this.feedTurn( run )
			);
			fed = queued === true || fed;
		}
		return fed;
	}

	private async feedTurn( run: RunRow ): Promise< boolean > {
		const counts = await this.runs.counts( run.id );
		if ( run.fed_all ) {
			if (
				counts.outstanding === 0 &&
				( await this.runs.transition(
					run.id,
					[ 'running' ],
					'completed'
				) )
			) {
				this.options.logger.log( 'info', 'import.completed', {
					run_id: run.id,
					kind: run.kind,
					...counts,
				} );
			}
			return false;
		}
		if ( counts.outstanding >= this.options.window ) {
			return false;
		}
		return this.feedPage( run );
	}

	private async feedPage( run: RunRow ): Promise< boolean > {
		let page;
		try {
			page = await nextPage( run, this.clients );
		} catch ( thrown ) {
			const { error, retryable } = classifyFailure( thrown );
			this.options.logger.log( 'warn', 'import.page_failed', {
				run_id: run.id,
				cursor: run.cursor,
				error,
			} );
			if ( retryable ) {
				await this.runs.noteError( run.id, error.message );
				this.backoff.set( run.id, this.now() + this.options.retryMs );
			} else {
				await this.runs.fail( run.id, error.message );
			}
			return false;
		}
		this.backoff.delete( run.id );
		const source: DeliverySource = run.kind;
		const receivedAt = new Date( this.now() ).toISOString();
		const items = [];
		for ( const contactId of page.contactIds ) {
			const id = runDeliveryId( run, contactId );
			await this.queue.accept( {
				id,
				source,
				action: actionOf( run ),
				contactId,
				params: {
					run_id: run.id,
					...( run.kind !== 'resync' && {
						send_notification: run.send_notification === 1,
						role: run.role,
					} ),
				},
				sendNotification: run.send_notification === 1,
				role: run.role,
				sourceIp: null,
				receivedAt,
			} );
			items.push( { contactId, deliveryId: id } );
		}
		for ( const contactId of page.alreadyLinked ) {
			items.push( { contactId, deliveryId: null } );
		}
		await this.runs.recordPage( run.id, items, page );
		return items.length > 0 || page.done;
	}
}
