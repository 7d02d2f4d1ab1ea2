import { setTimeout as sleep } from 'node:timers/promises';

import { ConcurrencyLimiter } from '../limiter';

export interface LimiterOptions {
	concurrency: number;
	requestsPerSecond: number;
}

/**
 * One gate for every CRM request of the process: at most `concurrency` in flight, and starts
 * spaced `1000 / requestsPerSecond` ms apart, so neither a burst of webhooks nor a bulk job can
 * push the CRM into rate limiting its other integrations. Waiters are served first come, first served.
 */
export class RequestLimiter {
	private readonly slots: ConcurrencyLimiter;
	private nextStartAt = 0;
	private previousTurn: Promise< void > = Promise.resolve();
	private readonly spacingMs: number;

	constructor(
		private readonly options: LimiterOptions,
		private readonly now: () => number = Date.now
	) {
		if (
			! ( options.concurrency >= 1 ) ||
			! ( options.requestsPerSecond > 0 )
		) {
			throw new RangeError(
				'concurrency must be at least 1 and requestsPerSecond above 0'
			);
		}
		this.spacingMs = 1000 / options.requestsPerSecond;
		this.slots = new ConcurrencyLimiter( options.concurrency );
	}

	run< T >( task: () => Promise< T > ): Promise< T > {
		return this.slots.run( async () => {
			await this.waitForRate();
			return task();
		} );
	}

	/** Start turns are chained, so a waiter never overtakes one that is still sleeping. */
	private waitForRate(): Promise< void > {
		const turn = this.previousTurn.then( async () => {
			const waitMs = this.nextStartAt - this.now();
			if ( waitMs > 0 ) {
				await sleep( waitMs );
			}
			this.nextStartAt =
				Math.max( this.now(), this.nextStartAt ) + this.spacingMs;
		} );
		this.previousTurn = turn;
		return turn;
	}
}
