import type { CrmClient } from '../crm';
import type { WordPressClient } from '../wordpress/client';
import { parseLinkedAmong, parseLinkedPage } from './linked-contacts';
import type { RunRow } from './run-store';

/**
 * Where each kind of run takes its contacts from, one page at a time:
 * - `import`: the CRM's `contacts/tagged/?tag_id=N&page=P` (cursor = the last page queued);
 * - `resync`: the site's linked users, `GET /bridge/linked-contacts?after=ID` (cursor = the
 *   last contact id queued: keyset, so users linked meanwhile are neither skipped nor repeated);
 * - `reconcile`: the tag's CRM pages like `import`, less the contacts that already have a user
 *   (`POST /bridge/linked-contacts/lookup`).
 */

export interface SourcePage {
	contactIds: number[];
	/** Contacts taken from the list that need no delivery (a reconciliation's linked ones). */
	alreadyLinked: number[];
	cursor: number;
	lastPage: number | null;
	/** How many contacts the list holds, when this page says (a resync's linked users). */
	total: number | null;
	done: boolean;
}

export interface SourceClients {
	crm: () => Promise< CrmClient >;
	wordpress: Pick<
		WordPressClient,
		'fetchLinkedContacts' | 'lookupLinkedContacts'
	>;
}

/** Linked users asked for per page; the CRM's own page is 15 contacts. */
export const RESYNC_PAGE_SIZE = 100;

/**
 * The run's next page after its cursor.
 * @param run     The run.
 * @param clients The CRM client and the WordPress client.
 */
export async function nextPage(
	run: RunRow,
	clients: SourceClients
): Promise< SourcePage > {
	if ( run.kind === 'resync' ) {
		const page = parseLinkedPage(
			await clients.wordpress.fetchLinkedContacts(
				run.cursor,
				RESYNC_PAGE_SIZE
			)
		);
		return {
			contactIds: page.contactIds,
			alreadyLinked: [],
			cursor: page.contactIds.at( -1 ) ?? run.cursor,
			lastPage: null,
			total: page.total,
			done: page.contactIds.length < RESYNC_PAGE_SIZE,
		};
	}
	const pageNumber = run.cursor + 1;
	const crm = await clients.crm();
	const page = await crm.contactsByTagPage(
		{ tagId: run.tag_id as number },
		pageNumber
	);
	let linked = new Set< number >();
	if ( run.kind === 'reconcile' && page.items.length > 0 ) {
		linked = new Set(
			parseLinkedAmong(
				await clients.wordpress.lookupLinkedContacts( page.items )
			)
		);
	}
	return {
		contactIds: page.items.filter( ( id ) => ! linked.has( id ) ),
		alreadyLinked: page.items.filter( ( id ) => linked.has( id ) ),
		cursor: pageNumber,
		lastPage: page.lastPage,
		total: null,
		done: pageNumber >= page.lastPage,
	};
}

/**
 * How many contacts carry the tag: page 1 gives the page size and the page count, the last
 * page its remainder (the contract's `meta` has `current_page` and `last_page`, no total).
 * @param crm   The CRM client.
 * @param tagId The tag.
 */
export async function countTagged(
	crm: CrmClient,
	tagId: number
): Promise< number > {
	const first = await crm.contactsByTagPage( { tagId }, 1 );
	if ( first.lastPage <= 1 ) {
		return first.items.length;
	}
	const last = await crm.contactsByTagPage( { tagId }, first.lastPage );
	return ( first.lastPage - 1 ) * first.items.length + last.items.length;
}
