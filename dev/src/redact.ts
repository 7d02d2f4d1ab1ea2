/**
 * Secrets that may appear in a line a service prints: the webhook access key travels in the
 * query string, so php -S's request log would otherwise write it down with every webhook.
 *
 * A parameter is recognised by its name as PHP and the listener read it, not as it was typed:
 * percent-decoded (`access%5Fkey`, `access_key%5B%5D`), `+` read as a space, without the
 * brackets of an array (`access_key[]`, `access_key[0]`), with the `.` and space that PHP turns
 * into `_` in `$_GET` names, and in any case. Its whole value is replaced, however it is encoded.
 */
const SECRET_NAMES: ReadonlySet< string > = new Set( [
	'access_key',
	'code',
	'client_secret',
	'password',
	'pwd',
	'token',
	'refresh_token',
] );

/** `name=value` where the name is not the tail of a longer name (`my_code=` is not `code=`). */
const PARAMETER = /(?<![\w%.+[\]-])([\w%.+[\]-]+)=([^&\s"']*)/g;

/** Percent-decoding applied this many times at most, so `%255F` is read as `_` too. */
const MAX_DECODINGS = 3;

export function redactLine( line: string ): string {
	return line.replace(
		PARAMETER,
		( whole: string, name: string, value: string ) =>
			value !== '' && isSecretName( name )
				? `${ name }=[redacted]`
				: whole
	);
}

function isSecretName( raw: string ): boolean {
	const decoded = decodeName( raw ).toLowerCase();
	const candidates = [
		// As the listener reads it: `access_key[]` is the parameter `access_key`, refused as an array.
		( decoded.split( '[' )[ 0 ] ?? '' ).replace( /[. ]/g, '_' ),
		// As PHP's `$_GET` reads it: `access.key`, `access key` and `access[key` are `access_key`.
		decoded.replace( /[. [](?=[^\]]*$)/g, '_' ),
	];
	return candidates.some( ( candidate ) => SECRET_NAMES.has( candidate ) );
}

function decodeName( raw: string ): string {
	let name = raw.replace( /\+/g, ' ' );
	for ( let i = 0; i < MAX_DECODINGS && name.includes( '%' ); i++ ) {
		const decoded = name.replace(
			/%([0-9A-Fa-f]{2})/g,
			( _escape, hex: string ) =>
				String.fromCharCode( parseInt( hex, 16 ) )
		);
		if ( decoded === name ) {
			break;
		}
		name = decoded;
	}
	return name;
}
