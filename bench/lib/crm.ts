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

export async function setCrmLatency( latencyMs: number ): Promise< void > {
	await control( 'POST', 'latency', { latency_ms: latencyMs } );
}

/**
 * A CRM failing `rate` of its API calls, half with 503 and half with 429 + Retry-After. The
 * sandbox applies the first rule that hits, so the second rule's probability is conditional.
 * @param rate
 * @param retryAfterSeconds
 */
export async function injectCrmErrors(
	rate: number,
	retryAfterSeconds = 1
): Promise< void > {
	const half = rate / 2;
	await control( 'POST', 'faults', {
		rules: [
			{ path_pattern: '/api/v1/*', status: 503, probability: half },
			{
				path_pattern: '/api/v1/*',
				status: 429,
				retry_after: retryAfterSeconds,
				probability: half / ( 1 - half ),
			},
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
