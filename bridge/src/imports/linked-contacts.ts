import { WordPressError } from '../wordpress/client';

/**
 * The answers of the plugin's linked-contacts routes (docs/architecture.md, "Bridge → plugin"),
 * validated: a malformed answer is a retryable WordPressError, never read as "no users".
 */

export interface LinkedPage {
	contactIds: number[];
	total: number;
}

/**
 * `GET /bridge/linked-contacts` → `{"contact_ids":[…],"total":N}`, ids ascending.
 * @param json The decoded answer.
 */
export function parseLinkedPage( json: unknown ): LinkedPage {
	const body = ( json ?? {} ) as { contact_ids?: unknown; total?: unknown };
	const total = body.total;
	if ( typeof total !== 'number' || ! Number.isSafeInteger( total ) ) {
		throw invalid( 'linked-contacts', 'total' );
	}
	return {
		contactIds: contactIds( body.contact_ids, 'linked-contacts' ),
		total,
	};
}

/**
 * `POST /bridge/linked-contacts/lookup` → `{"linked":[…]}`.
 * @param json The decoded answer.
 */
export function parseLinkedAmong( json: unknown ): number[] {
	return contactIds(
		( ( json ?? {} ) as { linked?: unknown } ).linked,
		'linked-contacts/lookup'
	);
}

function contactIds( value: unknown, route: string ): number[] {
	if (
		! Array.isArray( value ) ||
		! value.every( ( id ) => Number.isSafeInteger( id ) && id > 0 )
	) {
		throw invalid( route, 'contact ids' );
	}
	return value as number[];
}

function invalid( route: string, what: string ): WordPressError {
	return new WordPressError(
		'wordpress_bad_answer',
		`WordPress answered /${ route } without valid ${ what }.`,
		true
	);
}
