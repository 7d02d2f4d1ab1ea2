/** A value of a form-encoded CRM request: lists become `key[0]=…&key[1]=…`. */
export type FormFields = Record<
	string,
	string | number | ReadonlyArray< string | number >
>;

/** The CRM takes form-encoded bodies (PHP style arrays), never JSON. */
export function encodeForm( fields: FormFields ): string {
	const params = new URLSearchParams();
	for ( const [ key, value ] of Object.entries( fields ) ) {
		if ( Array.isArray( value ) ) {
			value.forEach( ( entry, index ) =>
				params.append( `${ key }[${ index }]`, String( entry ) )
			);
		} else {
			params.append( key, String( value ) );
		}
	}
	return params.toString();
}
