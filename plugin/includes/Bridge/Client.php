<?php
/**
 * Signed HTTP calls to the bridge.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Bridge;

use PulseSync\Settings;
use PulseSync\Settings\Revision;

defined( 'ABSPATH' ) || exit;

/**
 * Talks to the bridge's HTTP API (see docs/architecture.md, "Plugin → bridge").
 *
 * @since 0.1.0
 */
class Client {

	/**
	 * Bridge base URL without trailing slash.
	 *
	 * @since 0.1.0
	 * @var string
	 */
	private string $base_url;

	/**
	 * Shared `whsec_…` secrets, current first.
	 *
	 * @since 0.2.0
	 * @var string[]
	 */
	private array $secrets;

	/**
	 * Constructor.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Takes the list of secrets.
	 *
	 * @param string   $base_url Bridge base URL.
	 * @param string[] $secrets  Shared secrets, current first.
	 */
	public function __construct( string $base_url, array $secrets ) {
		$this->base_url = untrailingslashit( $base_url );
		$this->secrets  = $secrets;
	}

	/**
	 * A client for the configured bridge.
	 *
	 * @since 0.1.0
	 *
	 * @return self
	 */
	public static function from_settings(): self {
		return new self( (string) Settings::get( 'bridge_url' ), Pairing::active_secrets() );
	}

	/**
	 * The default timeout for calls that do not wait for a job.
	 *
	 * @since 0.1.0
	 *
	 * @return float Seconds.
	 */
	public static function default_timeout(): float {
		/**
		 * Filters the timeout of plugin → bridge calls that do not wait for a job.
		 *
		 * @since 0.1.0
		 *
		 * @param float $seconds Default 5.
		 */
		return (float) apply_filters( 'pulse_sync_bridge_timeout', 5.0 );
	}

	/**
	 * Hands a delivery to the bridge. Each hand-over has a fresh `webhook-id` (the bridge refuses
	 * an id it has seen); the bridge stores a delivery once per its `id` in the body.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $delivery Delivery (see `POST /v1/deliveries`).
	 * @param float               $timeout  Seconds.
	 * @return Response
	 * @throws BridgeUnavailable When there is no usable answer.
	 */
	public function forward_delivery( array $delivery, float $timeout ): Response {
		return $this->request( 'POST', '/v1/deliveries', array(), $delivery, $timeout );
	}

	/**
	 * Signed GET.
	 *
	 * @since 0.1.0
	 *
	 * @param string              $path  Path under the base URL, e.g. `/v1/status`.
	 * @param array<string,mixed> $query Query arguments.
	 * @return Response
	 * @throws BridgeUnavailable When there is no usable answer.
	 */
	public function get( string $path, array $query = array() ): Response {
		return $this->request( 'GET', $path, $query, null, self::default_timeout() );
	}

	/**
	 * Signed POST.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 The `$timeout` parameter.
	 *
	 * @param string              $path    Path under the base URL.
	 * @param array<string,mixed> $body    JSON body.
	 * @param float|null          $timeout Seconds; null for {@see self::default_timeout()}.
	 * @return Response
	 * @throws BridgeUnavailable When there is no usable answer.
	 */
	public function post( string $path, array $body = array(), ?float $timeout = null ): Response {
		return $this->request( 'POST', $path, array(), $body, $timeout ?? self::default_timeout() );
	}

	/**
	 * Unsigned `GET /v1/health`.
	 *
	 * @since 0.1.0
	 *
	 * @return Response
	 * @throws BridgeUnavailable When there is no usable answer.
	 */
	public function health(): Response {
		return self::decode(
			$this->send(
				$this->base_url . '/v1/health',
				array(
					'method'  => 'GET',
					'timeout' => self::default_timeout(),
				)
			)
		);
	}

	/**
	 * A new Standard Webhooks message id.
	 *
	 * @since 0.1.0
	 *
	 * @return string `msg_` + 32 hex characters.
	 */
	public static function new_message_id(): string {
		return 'msg_' . bin2hex( random_bytes( 16 ) );
	}

	/**
	 * Sends a signed request: method, path (below the base URL, so a bridge behind a proxy
	 * path verifies the same), query and body are signed, and the query is sent exactly as
	 * signed.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Signs method, path and query; a fresh `webhook-id` per request.
	 *
	 * @param string                   $method  HTTP method.
	 * @param string                   $path    Path under the base URL.
	 * @param array<string,mixed>      $query   Query arguments.
	 * @param array<string,mixed>|null $body    JSON body, null for none.
	 * @param float                    $timeout Seconds.
	 * @return Response
	 * @throws BridgeUnavailable When there is no usable answer.
	 * @throws SignatureError When the secret is missing or malformed.
	 */
	private function request( string $method, string $path, array $query, ?array $body, float $timeout ): Response {
		// An empty JSON object rather than no body: JSON servers refuse an empty body with a JSON content type.
		$raw_body = null === $body ? '' : (string) wp_json_encode( (object) $body );
		$signed   = new SignedRequest( $method, $path, $query, $raw_body );
		$url      = $this->base_url . $path . ( '' === $signed->query ? '' : '?' . $signed->query );
		$headers  = Signature::headers( $this->secrets, SignedRequest::PLUGIN_TO_BRIDGE, $signed, self::new_message_id(), time() );

		$headers['x-pulse-sync-settings-rev'] = (string) Revision::current();
		$headers['accept']                    = 'application/json';
		if ( null !== $body ) {
			$headers['content-type'] = 'application/json';
		}
		$args = array(
			'method'  => $method,
			'timeout' => $timeout,
			'headers' => $headers,
		);
		if ( null !== $body ) {
			$args['body'] = $raw_body;
		}
		return self::decode( $this->send( $url, $args ) );
	}

	/**
	 * Sends one request to the bridge, never following a redirect (the signed headers and the
	 * body must not reach another origin).
	 *
	 * A trusted bridge URL (loopback, or set by pairing: {@see BridgeUrl::is_trusted()}) is
	 * requested as is; any other goes through `wp_safe_remote_request`, and only when its host
	 * resolves to public addresses alone, so the Status screen cannot be turned into a probe of
	 * the site's private network or of a cloud metadata endpoint.
	 *
	 * @since 0.2.0
	 *
	 * @param string              $url  Full URL under the base URL.
	 * @param array<string,mixed> $args `wp_remote_request` arguments.
	 * @return array<string,mixed>|\WP_Error
	 */
	private function send( string $url, array $args ) {
		$args['redirection'] = 0;
		if ( BridgeUrl::is_trusted( $this->base_url ) ) {
			return wp_remote_request( $url, $args );
		}
		return BridgeUrl::destination_error( $this->base_url ) ?? wp_safe_remote_request( $url, $args );
	}

	/**
	 * Turns a WP HTTP result into a Response.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed>|\WP_Error $result wp_remote_* result.
	 * @return Response
	 * @throws BridgeUnavailable On transport errors and non-JSON answers.
	 */
	private static function decode( $result ): Response {
		if ( is_wp_error( $result ) ) {
			throw new BridgeUnavailable( $result->get_error_message() );
		}
		$status  = (int) wp_remote_retrieve_response_code( $result );
		$decoded = json_decode( wp_remote_retrieve_body( $result ), true );
		if ( ! is_array( $decoded ) ) {
			/* translators: %d: HTTP status code. */
			throw new BridgeUnavailable( sprintf( __( 'HTTP %d without a JSON body.', 'pulse-sync' ), $status ) );
		}
		return new Response( $status, $decoded );
	}
}
