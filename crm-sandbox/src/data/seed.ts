import type { ContactStore } from './contacts';

/** The four tags every PulseTechnologyCRM setup guide refers to, with these ids. */
export const DEMO_TAGS = [
	'Website Access',
	'Import to WordPress',
	'Unlock Course Two',
	'VIP',
] as const;

export const DEMO_CONTACT_COUNT = 40;

const FIRST_NAMES = [
	'Ada',
	'Grace',
	'Alan',
	'Linus',
	'Margaret',
	'Dennis',
	'Barbara',
	'Ken',
];
const LAST_NAMES = [ 'Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton' ];
const COUNTRIES = [ 'GB', 'US', 'DE', 'FR', 'NL' ];

/**
 * Deterministic demo data: the same contacts, ids and tags after every reset, so that tests and
 * documentation can name them ("contact 3 has a custom password").
 */
export function seedDemoData( store: ContactStore ): void {
	for ( const name of DEMO_TAGS ) {
		store.createTag( name );
	}
	for ( let n = 0; n < DEMO_CONTACT_COUNT; n++ ) {
		const first = FIRST_NAMES[ n % FIRST_NAMES.length ] as string;
		const last = LAST_NAMES[
			Math.floor( n / FIRST_NAMES.length ) % LAST_NAMES.length
		] as string;
		const fields: Record< string, string > = {
			first_name: first,
			last_name: last,
			email: `${ first }.${ last }@example.test`.toLowerCase(),
			phone: `+44 20 7946 ${ String( n ).padStart( 4, '0' ) }`,
			'address_1.country': COUNTRIES[ n % COUNTRIES.length ] as string,
		};
		// Every third contact brings its own WordPress login, as some CRM users fill these in.
		if ( n % 3 === 2 ) {
			fields.custom_username = `${ first }${ last }`.toLowerCase();
			fields.custom_password = `Demo-${ last }-${ n }!`;
		}
		const contact = store.create( fields );
		if ( n % 5 === 0 ) {
			contact.tagIds.add( 1 );
		}
		if ( n % 7 === 0 ) {
			contact.tagIds.add( 4 );
		}
	}
}
