/**
 * The CRM sandbox as the benchmark needs it: latency and error injection, and the request
 * counters (the control API itself is neither counted nor faulted, so measuring costs nothing).
 */
import { contact, control } from '../../integration/support/sandbox';
import { mapLimit } from './map-limit';

export type Counters = Record< string, number >;

export async function crmCounters(): Promise< Counters > {
	return ( await control< { counters: Counters } >( 'GET', 'counters' ) )
		.counters;
}

export interface CrmCalls {
	total: number;
	byEndpoint: Counters;
}

/**
 * Calls to the CRM's API since `before` (OAuth token calls are not API calls).
 * @param before
 * @param after
 */
export function apiCallsSince( before: Counters, after: Counters ): CrmCalls {
	const byEndpoint: Counters = {};
	let total = 0;
	for ( const [ endpoint, count ] of Object.entries( after ) ) {
		const delta = count - ( before[ endpoint ] ?? 0 );
		if ( delta > 0 && endpoint.includes( ' /api/' ) ) {
			byEndpoint[ endpoint ] = delta;
			total += delta;
		}
	}
	return { total, byEndpoint };
}

/** The sandbox's throttle and its counters (`/__sandbox/rate-limit`). */
export interface CrmThrottle {
	limit: { requests: number; window_ms: number } | null;
	accepted: number;
	refused: number;
	/** Sandbox time from the first to the last limited call. */
	busy_ms: number;
}

/**
 * Limits the sandbox to `requests` API calls per token in each `windowMs` (429 + Retry-After
 * past it), or lifts the limit with null; the counters start again from zero.
 * @param limit
 */
export async function setCrmRateLimit(
	limit: { requests: number; windowMs: number } | null
): Promise< void > {
	await ( limit === null
		? control( 'DELETE', 'rate-limit' )
		: control( 'POST', 'rate-limit', {
				requests: limit.requests,
				window_ms: limit.windowMs,
			} ) );
}

export function crmThrottle(): Promise< CrmThrottle > {
	return control< CrmThrottle >( 'GET', 'rate-limit' );
}

export async function setCrmLatency( latencyMs: number ): Promise< void > {
	await control( 'POST', 'latency', { latency_ms: latencyMs } );
}

/**
 * A CRM failing `rate` of its API calls with 503, at random. No random 429 any more: a 429 tells
 * the bridge's adaptive pace to pause and slow down, so a CRM saying it at random at any pace
 * only measures that rule; a real limit is the crm-limit scenario's.
 * @param rate
 */
export async function injectCrmErrors( rate: number ): Promise< void > {
	await control( 'POST', 'faults', {
		rules: [
			{ path_pattern: '/api/v1/*', status: 503, probability: rate },
		],
	} );
}

/**
 * Contacts whose Return Password field is still empty. Only emptiness is looked at: the password
 * itself is never read into a variable that could reach a log.
 * @param contactIds
 * @param field
 */
export async function contactsWithoutPassword(
	contactIds: readonly number[],
	field = 'wp_password'
): Promise< number > {
	const empty = await mapLimit( contactIds, 16, async ( id ) => {
		const value = ( await contact( id ) )[ field ];
		return typeof value !== 'string' || value === '';
	} );
	return empty.filter( Boolean ).length;
}
