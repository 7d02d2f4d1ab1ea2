import { validationError } from '../http/errors';

/** The CRM pages every list by 15, Laravel style. */
export const PAGE_SIZE = 15;

export interface Page< T > {
	data: T[];
	meta: {
		current_page: number;
		last_page: number;
		per_page: number;
		total: number;
	};
}

/**
 * Reads `page` strictly: a client that glues a second `?page=` onto a URL sends `page=2?page=3`,
 * and the sandbox says so instead of quietly answering page 1.
 */
export function pageParam( url: URL ): number {
	const raw = url.searchParams.get( 'page' );
	if ( raw === null ) {
		return 1;
	}
	if ( ! /^[1-9]\d*$/.test( raw ) ) {
		throw validationError( 'The page must be a positive integer.' );
	}
	return Number( raw );
}

export function paginate< T >( items: T[], page: number ): Page< T > {
	const lastPage = Math.max( 1, Math.ceil( items.length / PAGE_SIZE ) );
	const start = ( page - 1 ) * PAGE_SIZE;
	return {
		data: items.slice( start, start + PAGE_SIZE ),
		meta: {
			current_page: page,
			last_page: lastPage,
			per_page: PAGE_SIZE,
			total: items.length,
		},
	};
}
