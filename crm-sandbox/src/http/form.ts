/**
 * Parses an application/x-www-form-urlencoded body the way PHP does for the keys the CRM uses:
 * `tag_id[0]=5&tag_id[1]=7` and `tag_id[]=5` become arrays, plain keys stay strings (last wins).
 */
export type FormValue = string | string[];
export type FormBody = Record< string, FormValue >;

const ARRAY_KEY = /^([^[\]]+)\[(\d*)\]$/;

export function parseForm( raw: string ): FormBody {
	const result: FormBody = {};
	for ( const [ key, value ] of new URLSearchParams( raw ) ) {
		const arrayKey = ARRAY_KEY.exec( key );
		if ( ! arrayKey ) {
			result[ key ] = value;
			continue;
		}
		const name = arrayKey[ 1 ] as string;
		const index = arrayKey[ 2 ];
		const existing = result[ name ];
		const list = Array.isArray( existing ) ? existing : [];
		if ( index === '' || index === undefined ) {
			list.push( value );
		} else {
			list[ Number( index ) ] = value;
		}
		result[ name ] = list;
	}
	for ( const [ key, value ] of Object.entries( result ) ) {
		// Explicit indexes may leave holes (tag_id[3]=1 alone); PHP keeps only the given entries.
		if ( Array.isArray( value ) ) {
			result[ key ] = value.filter( ( entry ) => entry !== undefined );
		}
	}
	return result;
}
