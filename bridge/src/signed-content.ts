/**
 * What a plugin ⇄ bridge signature covers besides the Standard Webhooks `{id}.{timestamp}.`
 * prefix (docs/architecture.md, "Signing"): the direction, the method, the path, the query and
 * the body, one per line, so that a signature made for one request verifies for no other.
 */

/** Who signs: the plugin calling the bridge, or the bridge calling the plugin. */
export type Direction = 'plugin-to-bridge' | 'bridge-to-plugin';

export interface SignedRequest {
	method: string;
	/**
	 * Plugin → bridge: the path below the bridge's base URL, as sent (`/v1/deliveries/msg_1`).
	 * Bridge → plugin: the REST route without `/wp-json` (`/pulse-sync/v1/bridge/users`).
	 */
	path: string;
	/** The query's parameters; canonicalQuery() gives the form that is signed. */
	query: URLSearchParams;
	/** The exact body ("" for none). */
	body: string;
}

/**
 * The query as signed: every `name=value` pair percent-encoded as RFC 3986 says (what PHP's
 * rawurlencode() gives), sorted bytewise, joined by `&`. Senders send this very string, and
 * receivers rebuild it from the parameters they parsed, so encoding details of the wire (`+` or
 * `%20`, order) cannot make a genuine request fail, nor a changed parameter pass.
 * @param query The parameters.
 */
export function canonicalQuery( query: URLSearchParams ): string {
	return [ ...query ]
		.map(
			( [ name, value ] ) => `${ encode( name ) }=${ encode( value ) }`
		)
		.sort()
		.join( '&' );
}

/**
 * The payload handed to the Standard Webhooks HMAC.
 * @param direction Who signs.
 * @param request   The request.
 */
export function signedContent(
	direction: Direction,
	request: SignedRequest
): string {
	return [
		`pulse-sync/${ direction }`,
		request.method.toUpperCase(),
		request.path,
		canonicalQuery( request.query ),
		request.body,
	].join( '\n' );
}

function encode( text: string ): string {
	return encodeURIComponent( text ).replace(
		/[!'()*]/g,
		( char ) => `%${ char.charCodeAt( 0 ).toString( 16 ).toUpperCase() }`
	);
}
