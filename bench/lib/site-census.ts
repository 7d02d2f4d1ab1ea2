/**
 * What the site really stored for a set of contacts, read from its database in one query (a query
 * per contact would spawn thousands of mariadb clients): users per contact, their tags and first
 * name. The mariadb client runs synchronously, so scenarios call this only when no load is running.
 */
import { query } from '../../integration/support/stack';

export interface StoredUser {
	userId: number;
	tagIds: number[];
	firstName: string;
}

export interface Census {
	/** Contact id → the users linked to it (ordered by user id). */
	byContact: Map< number, StoredUser[] >;
}

/**
 * Integer values of a serialized PHP list such as a:2:{i:0;i:5;i:1;i:7;}.
 * @param serialized
 */
function serializedInts( serialized: string ): number[] {
	return [ ...serialized.matchAll( /i:\d+;i:(\d+);/g ) ].map( ( match ) =>
		Number( match[ 1 ] )
	);
}

/**
 * @param contactIds The contacts.
 * @param dbName     The site's database: the stack's first site unless told (PULSE_STACK_SITES).
 */
export function census(
	contactIds: readonly number[],
	dbName?: string
): Census {
	const byContact = new Map< number, StoredUser[] >();
	const distinct = [ ...new Set( contactIds ) ];
	// The statement goes on the mariadb command line, so very large sets are read in chunks.
	for ( let start = 0; start < distinct.length; start += 5000 ) {
		const list = distinct
			.slice( start, start + 5000 )
			.map( ( id ) => `'${ Number( id ) }'` )
			.join( ',' );
		const rows = query(
			`SELECT c.meta_value, c.user_id, IFNULL(t.meta_value, ''), IFNULL(f.meta_value, '')
			 FROM wp_usermeta c
			 LEFT JOIN wp_usermeta t ON t.user_id = c.user_id AND t.meta_key = 'pulsetech_tags'
			 LEFT JOIN wp_usermeta f ON f.user_id = c.user_id AND f.meta_key = 'first_name'
			 WHERE c.meta_key = 'pulsetech_contact_id' AND c.meta_value IN (${ list })
			 ORDER BY c.user_id`,
			dbName
		);
		for ( const [ contact, user, tags, firstName ] of rows ) {
			const users = byContact.get( Number( contact ) ) ?? [];
			users.push( {
				userId: Number( user ),
				tagIds: serializedInts( tags ?? '' ),
				firstName: firstName ?? '',
			} );
			byContact.set( Number( contact ), users );
		}
	}
	return { byContact };
}

export interface CensusCounts {
	contacts: number;
	withUser: number;
	/** Users beyond the first for a contact. */
	duplicates: number;
	missing: number;
	/** Users lacking one of the contact's tags. */
	withoutTags: number;
}

export function countCensus(
	contactIds: readonly number[],
	expectedTags: readonly number[],
	result: Census
): CensusCounts {
	const distinct = [ ...new Set( contactIds ) ];
	let withUser = 0;
	let duplicates = 0;
	let withoutTags = 0;
	for ( const id of distinct ) {
		const users = result.byContact.get( id ) ?? [];
		if ( users.length > 0 ) {
			withUser++;
		}
		duplicates += Math.max( 0, users.length - 1 );
		withoutTags += users.filter(
			( user ) =>
				! expectedTags.every( ( tag ) => user.tagIds.includes( tag ) )
		).length;
	}
	return {
		contacts: distinct.length,
		withUser,
		duplicates,
		missing: distinct.length - withUser,
		withoutTags,
	};
}

/**
 * Deliveries the plugin holds in its spool while the bridge is away.
 * @param dbName The site's database: the stack's first site unless told.
 */
export function spooledDeliveries( dbName?: string ): number {
	return Number(
		query(
			'SELECT COUNT(*) FROM wp_pulse_sync_spool',
			dbName
		)[ 0 ]?.[ 0 ] ?? 0
	);
}
