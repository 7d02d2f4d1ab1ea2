import { TransientError } from './errors';
import { withPage } from './urls';

/** A guard against a CRM that keeps announcing more pages. */
const MAX_PAGES = 10000;

interface PageAnswer {
	data: unknown[];
	lastPage: number;
}

function parsePage( body: unknown, what: string ): PageAnswer {
	const answer = (
		typeof body === 'object' && body !== null ? body : {}
	) as { data?: unknown; meta?: { last_page?: unknown } };
	if ( ! Array.isArray( answer.data ) ) {
		throw new TransientError(
			`${ what }: the answer has no data list`,
			'invalid_response'
		);
	}
	const lastPage = answer.meta?.last_page;
	// A list without meta is a single page.
	return {
		data: answer.data,
		lastPage: typeof lastPage === 'number' && lastPage >= 1 ? lastPage : 1,
	};
}

/** One page of a paginated list, and how many pages the CRM says there are. */
export interface ListPage< T > {
	items: T[];
	lastPage: number;
}

/**
 * Page `page` of a list (`&page=N` after an existing query string, see urls.ts).
 * @param path      The list's path, with its query string if any.
 * @param page      1-based page number.
 * @param fetchJson Fetches one path.
 * @param parseItem Validates one item.
 */
export async function fetchPage< T >(
	path: string,
	page: number,
	fetchJson: ( pathWithPage: string ) => Promise< unknown >,
	parseItem: ( item: unknown ) => T
): Promise< ListPage< T > > {
	const answer = parsePage(
		await fetchJson( withPage( path, page ) ),
		`GET ${ path }`
	);
	if ( answer.lastPage > MAX_PAGES ) {
		throw new TransientError(
			`GET ${ path }: the CRM announced ${ answer.lastPage } pages`,
			'invalid_response'
		);
	}
	return { items: answer.data.map( parseItem ), lastPage: answer.lastPage };
}

/**
 * Every item of a paginated list: page 1, then 2…last_page. Any failing page fails the whole
 * list; a partial list would look like "the contact lost these tags".
 */
export async function collectPages< T >(
	path: string,
	fetchJson: ( pathWithPage: string ) => Promise< unknown >,
	parseItem: ( item: unknown ) => T
): Promise< T[] > {
	const items: T[] = [];
	let lastPage = 1;
	for ( let page = 1; page <= lastPage; page++ ) {
		const answer = await fetchPage( path, page, fetchJson, parseItem );
		items.push( ...answer.items );
		lastPage = answer.lastPage;
	}
	return items;
}
