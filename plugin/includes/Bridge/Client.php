<?php
/**
 * Signed HTTP calls to the bridge.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Bridge;

use PulseSync\Settings;

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
	 * Shared `whsec_…` secret.
	 *
	 * @since 0.1.0
	 * @var string
	 */
	private string $secret;

	/**
	 * Constructor.
	 *
	 * @since 0.1.0
	 *
	 * @param string $base_url Bridge base URL.
	 * @param string $secret   Shared secret.
	 */
	public function __construct( string $base_url, string $secret ) {
		$this->base_url = untrailingslashit( $base_url );
		$this->secret   = $secret;
	}

	/**
	 * A client for the configured bridge.
	 *
	 * @since 0.1.0
	 *
	 * @return self
	 */
	public static function from_settings(): self {
		// Signed with the current secret only (the first active one); see Pairing::active_secrets().
		return new self( (string) Settings::get( 'bridge_url' ), Pairing::active_secrets()[0] ?? '' );
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
	 * Hands a delivery to the bridge; `webhook-id` is the delivery id so a repeat is stored once.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $delivery Delivery (see `POST /v1/deliveries`).
	 * @param float               $timeout  Seconds.
	 * @return Response
	 * @throws BridgeUnavailable When there is no usable answer.
	 */
	public function forward_delivery( array $delivery, float $timeout ): Response {
		return $this->request( 'POST', '/v1/deliveries', array(), $delivery, (string) $delivery['id'], $timeout );
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
		return $this->request( 'GET', $path, $query, null, self::new_message_id(), self::default_timeout() );
	}

	/**
	 * Signed POST.
	 *
	 * @since 0.1.0
	 *
	 * @param string              $path Path under the base URL.
	 * @param array<string,mixed> $body JSON body.
	 * @return Response
	 * @throws BridgeUnavailable When there is no usable answer.
	 */
	public function post( string $path, array $body = array() ): Response {
		return $this->request( 'POST', $path, array(), $body, self::new_message_id(), self::default_timeout() );
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
		return self::decode( wp_remote_get( $this->base_url . '/v1/health', array( 'timeout' => self::default_timeout() ) ) );
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
	 * Sends a signed request.
	 *
	 * @since 0.1.0
	 *
	 * @param string                   $method     HTTP method.
	 * @param string                   $path       Path under the base URL.
	 * @param array<string,mixed>      $query      Query arguments.
	 * @param array<string,mixed>|null $body       JSON body, null for none.
	 * @param string                   $message_id `webhook-id`.
	 * @param float                    $timeout    Seconds.
	 * @return Response
	 * @throws BridgeUnavailable When there is no usable answer.
	 */
	private function request( string $method, string $path, array $query, ?array $body, string $message_id, float $timeout ): Response {
		// An empty JSON object rather than no body: JSON servers refuse an empty body with a JSON content type.
		$raw_body = null === $body ? '' : (string) wp_json_encode( (object) $body );
		$url      = $this->base_url . $path;
		if ( array() !== $query ) {
			$url .= '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 );
		}
		$headers = Signature::headers( $this->secret, $message_id, $raw_body, time() );

		$headers['x-pulse-sync-settings-rev'] = (string) Settings::rev();
		$headers['accept']                    = 'application/json';
		if ( null !== $body ) {
			$headers['content-type'] = 'application/json';
		}
		$args = array(
			'method'      => $method,
			'timeout'     => $timeout,
			'redirection' => 0,
			'headers'     => $headers,
		);
		if ( null !== $body ) {
			$args['body'] = $raw_body;
		}
		return self::decode( wp_remote_request( $url, $args ) );
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
