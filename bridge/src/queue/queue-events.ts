import { EventEmitter } from 'node:events';
import type { QueueEvents } from './queue';

type QueueEvent = 'queued' | 'settled';

/**
 * The queue's events inside one bridge process: `queued` when a job may have become claimable
 * (new, merged, retried, released), `settled` when a job ended done or failed. An engine shared
 * by several bridges would feed the same bus from its own notifications.
 */
export class QueueEventBus implements QueueEvents {
	private readonly events = new EventEmitter();

	constructor() {
		// Every waiting HTTP request subscribes; the default limit of 10 is far too low.
		this.events.setMaxListeners( 0 );
	}

	/**
	 * A job may have become claimable.
	 * @param jobId The job.
	 */
	queued( jobId: number ): void {
		this.events.emit( 'queued', jobId );
	}

	/**
	 * A job ended done or failed.
	 * @param jobId The job.
	 */
	settled( jobId: number ): void {
		this.events.emit( 'settled', jobId );
	}

	onSettled( listener: ( jobId: number ) => void ): () => void {
		return this.subscribe( 'settled', listener );
	}

	/**
	 * Any change that may make a job claimable: a new or merged job, a retry, a settled job.
	 * @param listener Called with no argument on every such change.
	 */
	onChange( listener: () => void ): () => void {
		const offQueued = this.subscribe( 'queued', listener );
		const offSettled = this.subscribe( 'settled', listener );
		return () => {
			offQueued();
			offSettled();
		};
	}

	private subscribe(
		event: QueueEvent,
		listener: ( jobId: number ) => void
	): () => void {
		this.events.on( event, listener );
		return () => this.events.off( event, listener );
	}
}
