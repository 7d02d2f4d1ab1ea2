import { appendContactId, redactUrl, type WebhookRule } from './rules';

export interface WebhookReportEntry {
	id: number;
	time: string;
	rule_id: number;
	trigger: WebhookRule[ 'trigger' ];
	contact_id: number;
	method: 'GET' | 'POST';
	format: WebhookRule[ 'format' ];
	/** The URL with the access key redacted. */
	url: string;
	status: number | null;
	error: string | null;
	duration_ms: number;
}

interface PendingWebhook {
	rule: WebhookRule;
	contactId: number;
	/** The contact entity at the time of the change, like the real CRM's payload. */
	entity: Record< string, unknown >;
}

export interface DispatcherOptions {
	concurrency: number;
	timeoutMs: number;
}

const MAX_REPORT_ENTRIES = 20000;

/**
 * A short reason for the report: `timeout` or the socket error code. Duck-typed on purpose: errors
 * thrown by Node's fetch come from another realm under test runners, so `instanceof` fails.
 */
function describeNetworkError( error: unknown ): string {
	const failure = (
		typeof error === 'object' && error !== null ? error : {}
	) as { name?: unknown; message?: unknown; cause?: { code?: unknown } };
	if ( failure.name === 'TimeoutError' ) {
		return 'timeout';
	}
	if ( failure.name === 'AbortError' ) {
		return 'aborted';
	}
	if ( typeof failure.cause?.code === 'string' ) {
		return failure.cause.code;
	}
	return typeof failure.message === 'string'
		? failure.message
		: 'network error';
}

/**
 * Sends webhooks after the change that caused them, never inside the request that made it (the CRM
 * queues them too), at most `concurrency` at a time, and keeps a report of each one.
 */
export class WebhookDispatcher {
	private queue: PendingWebhook[] = [];
	private active = 0;
	private report: WebhookReportEntry[] = [];
	private nextReportId = 1;
	private idleWaiters: Array< () => void > = [];
	private readonly stopping = new AbortController();

	constructor( public options: DispatcherOptions ) {}

	enqueue(
		rule: WebhookRule,
		contactId: number,
		entity: Record< string, unknown >
	): void {
		this.queue.push( { rule, contactId, entity } );
		// Next tick: the change's own HTTP answer goes out before its webhooks.
		setImmediate( () => this.pump() );
	}

	pendingCount(): number {
		return this.queue.length + this.active;
	}

	/** Resolves once every queued webhook has been sent. */
	idle(): Promise< void > {
		if ( this.pendingCount() === 0 ) {
			return Promise.resolve();
		}
		return new Promise( ( resolve ) => this.idleWaiters.push( resolve ) );
	}

	reportSince( id: number ): WebhookReportEntry[] {
		return this.report.filter( ( entry ) => entry.id > id );
	}

	clearReport(): void {
		this.report = [];
	}

	/** Drops webhooks not sent yet (reset); the ones in flight finish. */
	clearQueue(): void {
		this.queue = [];
		this.notifyIfIdle();
	}

	/** On shutdown: drop the queue and abort webhooks in flight, then wait for them to settle. */
	stop(): Promise< void > {
		this.clearQueue();
		this.stopping.abort();
		return this.idle();
	}

	private pump(): void {
		while (
			this.active < this.options.concurrency &&
			this.queue.length > 0
		) {
			const next = this.queue.shift() as PendingWebhook;
			this.active++;
			void this.send( next ).finally( () => {
				this.active--;
				this.pump();
				this.notifyIfIdle();
			} );
		}
	}

	private notifyIfIdle(): void {
		if ( this.pendingCount() === 0 ) {
			this.idleWaiters.splice( 0 ).forEach( ( resolve ) => resolve() );
		}
	}

	private async send( {
		rule,
		contactId,
		entity,
	}: PendingWebhook ): Promise< void > {
		const request = buildRequest( rule, contactId, entity );
		const started = Date.now();
		let status: number | null = null;
		let error: string | null = null;
		try {
			const response = await fetch( request.url, {
				method: request.method,
				headers: request.headers,
				body: request.body,
				redirect: 'manual',
				signal: AbortSignal.any( [
					AbortSignal.timeout( this.options.timeoutMs ),
					this.stopping.signal,
				] ),
			} );
			status = response.status;
			await response.arrayBuffer();
		} catch ( caught ) {
			error = describeNetworkError( caught );
		}
		this.report.push( {
			id: this.nextReportId++,
			time: new Date( started ).toISOString(),
			rule_id: rule.id,
			trigger: rule.trigger,
			contact_id: contactId,
			method: request.method,
			format: rule.format,
			url: redactUrl( request.url ),
			status,
			error,
			duration_ms: Date.now() - started,
		} );
		if ( this.report.length > MAX_REPORT_ENTRIES ) {
			this.report.shift();
		}
	}
}

function buildRequest(
	rule: WebhookRule,
	contactId: number,
	entity: Record< string, unknown >
): {
	method: 'GET' | 'POST';
	url: string;
	headers: Record< string, string >;
	body?: string;
} {
	const userAgent = { 'user-agent': 'PulseTechnologyCRM-Sandbox/1.0' };
	switch ( rule.format ) {
		case 'json':
			return {
				method: 'POST',
				url: rule.url,
				headers: { ...userAgent, 'content-type': 'application/json' },
				body: JSON.stringify( entity ),
			};
		case 'form':
			return {
				method: 'POST',
				url: rule.url,
				headers: {
					...userAgent,
					'content-type': 'application/x-www-form-urlencoded',
				},
				body: new URLSearchParams( {
					contact_id: String( contactId ),
				} ).toString(),
			};
		case 'get':
			return {
				method: 'GET',
				url: appendContactId( rule.url, contactId ),
				headers: userAgent,
			};
	}
}
