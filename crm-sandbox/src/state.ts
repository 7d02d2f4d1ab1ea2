import { ContactStore } from './data/contacts';
import { seedDemoData } from './data/seed';
import { FaultInjector } from './control/faults';
import { RateLimiter } from './control/rate-limit';
import { RequestLog } from './control/request-log';
import { GrantStore } from './oauth/grants';
import { WebhookDispatcher } from './webhooks/dispatcher';
import { WebhookRegistry } from './webhooks/registry';

export const DEFAULT_WEBHOOK_CONCURRENCY = 32;
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 30000;

export interface StateOptions {
	tokenTtlSeconds?: number;
	webhookConcurrency?: number;
	webhookTimeoutMs?: number;
}

/** Everything the sandbox remembers; one instance per running sandbox. */
export class SandboxState {
	readonly contacts = new ContactStore();
	readonly grants: GrantStore;
	readonly faults = new FaultInjector();
	readonly rateLimit = new RateLimiter();
	readonly requests = new RequestLog();
	readonly dispatcher: WebhookDispatcher;
	readonly webhooks: WebhookRegistry;

	constructor( options: StateOptions = {} ) {
		this.grants = new GrantStore( options.tokenTtlSeconds );
		this.dispatcher = new WebhookDispatcher( {
			concurrency:
				options.webhookConcurrency ?? DEFAULT_WEBHOOK_CONCURRENCY,
			timeoutMs: options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
		} );
		this.webhooks = new WebhookRegistry( this.contacts, this.dispatcher );
	}

	/**
	 * Back to a known account: data, webhook rules and report, faults, rate limit, request log. OAuth grants
	 * survive, so a connected bridge stays connected; `POST /__sandbox/tokens/revoke` drops them.
	 */
	reset( seed: boolean ): void {
		this.contacts.clear();
		this.webhooks.clear();
		this.dispatcher.clearQueue();
		this.dispatcher.clearReport();
		this.faults.clear();
		this.rateLimit.set( null );
		this.requests.clear();
		if ( seed ) {
			seedDemoData( this.contacts );
		}
	}
}
