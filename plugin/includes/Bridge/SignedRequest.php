<?php
/**
 * What a plugin ⇄ bridge signature covers.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Bridge;

defined( 'ABSPATH' ) || exit;

/**
 * One request as signed: method, path, query and body (see docs/architecture.md, "Signing"),
 * so that a signature made for one request verifies for no other route, query or direction.
 * The bridge builds the same content in `bridge/src/signed-content.ts`.
 *
 * @since 0.2.0
 */
class SignedRequest {

	/**
	 * The plugin calls the bridge.
	 *
	 * @since 0.2.0
	 */
	public const PLUGIN_TO_BRIDGE = 'plugin-to-bridge';

	/**
	 * The bridge calls the plugin.
	 *
	 * @since 0.2.0
	 */
	public const BRIDGE_TO_PLUGIN = 'bridge-to-plugin';

	/**
	 * HTTP method, upper case.
	 *
	 * @since 0.2.0
	 * @var string
	 */
	public string $method;

	/**
	 * Plugin → bridge: the path below the bridge's base URL; bridge → plugin: the REST route.
	 *
	 * @since 0.2.0
	 * @var string
	 */
	public string $path;

	/**
	 * The canonical query (see canonical_query()).
	 *
	 * @since 0.2.0
	 * @var string
	 */
	public string $query;

	/**
	 * The exact body ('' for none).
	 *
	 * @since 0.2.0
	 * @var string
	 */
	public string $body;

	/**
	 * Constructor.
	 *
	 * @since 0.2.0
	 *
	 * @param string              $method HTTP method.
	 * @param string              $path   Path (see $path).
	 * @param array<string,mixed> $query  Query parameters: scalars only.
	 * @param string              $body   Raw body.
	 * @throws SignatureError When a query value is not a scalar (it cannot be signed).
	 */
	public function __construct( string $method, string $path, array $query, string $body ) {
		$this->method = strtoupper( $method );
		$this->path   = $path;
		$this->query  = self::canonical_query( $query );
		$this->body   = $body;
	}

	/**
	 * A request the bridge sent to one of the plugin's REST routes. The route, not the URL path,
	 * is what is signed: the same with or without pretty permalinks (`?rest_route=`, which is
	 * therefore left out of the query), and for a site below a path.
	 *
	 * @since 0.2.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return self
	 * @throws SignatureError When the query holds arrays (`a[]=1`): the bridge never sends them.
	 */
	public static function from_rest( \WP_REST_Request $request ): self {
		$query = $request->get_query_params();
		unset( $query['rest_route'] );
		return new self( $request->get_method(), $request->get_route(), $query, (string) $request->get_body() );
	}

	/**
	 * The query as signed: `name=value` pairs percent-encoded as RFC 3986 says (rawurlencode),
	 * sorted bytewise, joined by `&`. The plugin sends this very string; the receiver rebuilds it
	 * from the parameters it parsed, so `+` or `%20` and the order do not matter, and a changed
	 * or added parameter does.
	 *
	 * @since 0.2.0
	 *
	 * @param array<string,mixed> $query Parameters: strings, numbers or booleans.
	 * @return string
	 * @throws SignatureError When a value is not a scalar.
	 */
	public static function canonical_query( array $query ): string {
		$pairs = array();
		foreach ( $query as $name => $value ) {
			if ( ! is_scalar( $value ) ) {
				throw new SignatureError( __( 'A signed request’s query may only hold plain values.', 'pulse-sync' ) );
			}
			if ( is_bool( $value ) ) {
				$value = $value ? '1' : '0';
			}
			$pairs[] = rawurlencode( (string) $name ) . '=' . rawurlencode( (string) $value );
		}
		sort( $pairs, SORT_STRING );
		return implode( '&', $pairs );
	}

	/**
	 * The payload handed to the Standard Webhooks HMAC: direction, method, path, query and
	 * body, one per line.
	 *
	 * @since 0.2.0
	 *
	 * @param string $direction self::PLUGIN_TO_BRIDGE or self::BRIDGE_TO_PLUGIN.
	 * @return string
	 */
	public function content( string $direction ): string {
		return implode( "\n", array( 'pulse-sync/' . $direction, $this->method, $this->path, $this->query, $this->body ) );
	}
}
