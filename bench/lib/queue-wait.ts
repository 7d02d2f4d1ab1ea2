/**
 * How long a storm's deliveries waited in the bridge's queue: from `received_at` to the start of
 * their first attempt, read from each site's delivery log (signed `GET /v1/deliveries`) once the
 * storm is processed. A delivery merged into another's job has no attempt of its own and is not
 * counted.
 */
import type { Delivery } from '@pulse-sync/contracts';
import { callBridge } from '../../dev/src/seed';
import type { StackSite } from '../../dev/src/stack-file';
import { summarize, type LatencySummary } from './stats';

const PER_PAGE = 100;

type LoggedDelivery = Pick<
	Delivery,
	'contact_id' | 'received_at' | 'attempts'
>;

/**
 * Ms each delivery of the contacts waited before its first attempt.
 * @param deliveries The delivery log's entries.
 * @param contacts   The storm's contacts (the log holds earlier ones too).
 */
export function queueWaitsMs(
	deliveries: readonly LoggedDelivery[],
	contacts: ReadonlySet< number >
): number[] {
	return deliveries.flatMap( ( delivery ) => {
		const first = delivery.attempts.find( ( attempt ) => attempt.n === 1 );
		if ( ! contacts.has( delivery.contact_id ) || first === undefined ) {
			return [];
		}
		return [
			Math.max(
				0,
				Date.parse( first.started_at ) -
					Date.parse( delivery.received_at )
			),
		];
	} );
}

/**
 * The newest `add` deliveries of a site, enough pages to cover `count` of them.
 * @param site  The site (its bridge route and secret).
 * @param count How many the storm sent it.
 */
async function recentAdds(
	site: Pick< StackSite, 'bridgeUrl' | 'bridgeSecret' >,
	count: number
): Promise< LoggedDelivery[] > {
	const found: LoggedDelivery[] = [];
	for ( let page = 1; found.length < count; page++ ) {
		const { items } = ( await callBridge(
			site,
			'GET',
			`/v1/deliveries?action=add&per_page=${ PER_PAGE }&page=${ page }`
		) ) as { items: LoggedDelivery[] };
		found.push( ...items );
		if ( items.length < PER_PAGE ) {
			break;
		}
	}
	return found;
}

/**
 * The queue wait of a storm's deliveries over the sites it was sent to.
 * @param sites    The sites.
 * @param contacts The storm's contacts.
 * @param sent     Webhooks the storm sent (all sites together).
 */
export async function stormQueueWait(
	sites: readonly Pick< StackSite, 'bridgeUrl' | 'bridgeSecret' >[],
	contacts: readonly number[],
	sent: number
): Promise< LatencySummary > {
	const wanted = new Set( contacts );
	const waits: number[] = [];
	for ( const site of sites ) {
		waits.push( ...queueWaitsMs( await recentAdds( site, sent ), wanted ) );
	}
	return summarize( waits );
}
