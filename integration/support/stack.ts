/**
 * The running stack the end-to-end webhook tests drive: WordPress (read through its database),
 * the CRM sandbox (through its control API) and the webhook endpoint (over HTTP, as the CRM).
 */
import { sql } from '../../dev/src/mariadb';
import { readStack, type StackInfo } from '../../dev/src/stack-file';
import { stackFile } from '../../dev/src/paths';
import { runPhp } from '../../dev/src/wordpress-site';

export function stack(): StackInfo {
	const info = readStack( process.env.PULSE_STACK_FILE ?? stackFile() );
	if ( ! info || info.processes.length === 0 ) {
		throw new Error(
			'No running stack: start one with `npm run stack:up`.'
		);
	}
	return info;
}

export interface WpUser {
	id: number;
	login: string;
	email: string;
	contactId: number | null;
	tags: number[];
	role: string;
}

/**
 * Query the site's database directly: what is really stored, not what an API says.
 */
export function query(
	statement: string,
	dbName = stack().dbName
): string[][] {
	const result = sql(
		stack().dbSocket,
		`USE \`${ dbName }\`; ${ statement }`
	);
	if ( ! result.ok ) {
		throw new Error( `SQL failed: ${ result.error }` );
	}
	return result.output
		.split( '\n' )
		.filter( ( line ) => line !== '' )
		.map( ( line ) => line.split( '\t' ) );
}

function quote( value: string ): string {
	return `'${ value.replace( /\\/g, '\\\\' ).replace( /'/g, "\\'" ) }'`;
}

function toUser( row: string[] ): WpUser {
	const [ id, login, email, contactId, tags, capabilities ] = row;
	const roles = capabilities
		? Object.keys( phpArrayKeys( capabilities ) )
		: [];
	return {
		id: Number( id ),
		login: login ?? '',
		email: email ?? '',
		contactId:
			contactId && contactId !== 'NULL' ? Number( contactId ) : null,
		tags:
			tags && tags !== 'NULL'
				? Object.values( phpArrayValues( tags ) ).map( Number )
				: [],
		role: roles[ 0 ] ?? '',
	};
}

/**
 * Keys of a serialized PHP array such as a:1:{s:8:"customer";b:1;}.
 */
function phpArrayKeys( serialized: string ): Record< string, true > {
	const keys: Record< string, true > = {};
	for ( const match of serialized.matchAll( /s:\d+:"([^"]*)";b:1;/g ) ) {
		keys[ match[ 1 ] as string ] = true;
	}
	return keys;
}

/**
 * Integer values of a serialized PHP list such as a:2:{i:0;i:5;i:1;i:7;}.
 */
function phpArrayValues( serialized: string ): number[] {
	return [ ...serialized.matchAll( /i:\d+;i:(\d+);/g ) ].map( ( match ) =>
		Number( match[ 1 ] )
	);
}

const USER_COLUMNS = `u.ID, u.user_login, u.user_email,
	(SELECT meta_value FROM wp_usermeta WHERE user_id = u.ID AND meta_key = 'pulsetech_contact_id' LIMIT 1),
	(SELECT meta_value FROM wp_usermeta WHERE user_id = u.ID AND meta_key = 'pulsetech_tags' LIMIT 1),
	(SELECT meta_value FROM wp_usermeta WHERE user_id = u.ID AND meta_key = 'wp_capabilities' LIMIT 1)`;

export function usersWithEmail( email: string ): WpUser[] {
	return query(
		`SELECT ${ USER_COLUMNS } FROM wp_users u WHERE u.user_email = ${ quote( email ) } ORDER BY u.ID`
	).map( toUser );
}

export function usersForContact( contactId: number ): WpUser[] {
	return query(
		`SELECT ${ USER_COLUMNS } FROM wp_users u JOIN wp_usermeta m ON m.user_id = u.ID
		 WHERE m.meta_key = 'pulsetech_contact_id' AND m.meta_value = ${ quote( String( contactId ) ) } ORDER BY u.ID`
	).map( toUser );
}

export function userMeta( userId: number, key: string ): string | null {
	const rows = query(
		`SELECT meta_value FROM wp_usermeta WHERE user_id = ${ Number( userId ) } AND meta_key = ${ quote( key ) } LIMIT 1`
	);
	return rows[ 0 ]?.[ 0 ] ?? null;
}

/**
 * Change the plugin's settings as the panel would (the option, so the settings rev moves).
 * @param settings The settings to change.
 * @param wpDir    The site's WordPress folder: the stack's first site unless told.
 */
export function configure(
	settings: Record< string, unknown >,
	wpDir = stack().wpDir
): void {
	runPhp( wpDir, 'configure.php', {}, { settings } );
}

/**
 * The plugin's settings as stored.
 * @param wpDir The site's WordPress folder: the stack's first site unless told.
 */
export function currentSettings(
	wpDir = stack().wpDir
): Record< string, unknown > {
	const output = runPhp( wpDir, 'configure.php', {}, {} );
	return ( JSON.parse( output ) as { settings: Record< string, unknown > } )
		.settings;
}

/**
 * The users of many contacts in one query, by contact id (a storm's worth at once).
 * @param contactIds The contacts.
 * @param dbName     The site's database: the stack's first site unless told (PULSE_STACK_SITES).
 */
export function usersByContact(
	contactIds: number[],
	dbName = stack().dbName
): Map< number, WpUser[] > {
	const byContact = new Map< number, WpUser[] >(
		contactIds.map( ( id ) => [ id, [] ] )
	);
	if ( contactIds.length === 0 ) {
		return byContact;
	}
	const rows = query(
		`SELECT ${ USER_COLUMNS } FROM wp_users u JOIN wp_usermeta m ON m.user_id = u.ID
		 WHERE m.meta_key = 'pulsetech_contact_id' AND m.meta_value IN (${ contactIds
				.map( ( id ) => quote( String( id ) ) )
				.join( ',' ) }) ORDER BY u.ID`,
		dbName
	).map( toUser );
	for ( const user of rows ) {
		byContact.get( user.contactId as number )?.push( user );
	}
	return byContact;
}
