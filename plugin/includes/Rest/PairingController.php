<?php
/**
 * Pairing a bridge with a one-time code instead of a copied secret.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Rest;

use PulseSync\Bridge\BridgeUrl;
use PulseSync\Bridge\PairedBridge;
use PulseSync\Bridge\Pairing;
use PulseSync\Bridge\PairingCode;
use PulseSync\HttpError;
use PulseSync\Support\Throttle;
use PulseSync\Webhook\Request;

defined( 'ABSPATH' ) || exit;

/**
 * `POST /pairing/code` (panel: a new code and the command that uses it) and
 * `POST /pairing/exchange` (the bridge: the code for the secret), as docs/architecture.md,
 * "Pairing", describes.
 *
 * @since 0.2.0
 */
class PairingController extends Controller {

	private const MAX_CODE_LENGTH = 64;

	/**
	 * The failure throttle's scope for wrong pairing codes (same limits as the access key's;
	 * filters `pulse_sync_pairing_throttle` and `pulse_sync_pairing_is_throttled`).
	 *
	 * @since 0.2.0
	 */
	public const THROTTLE_SCOPE = 'pairing';

	/**
	 * Registers the routes.
	 *
	 * @since 0.2.0
	 *
	 * @return void
	 */
	public function register_routes(): void {
		add_filter( 'rest_request_before_callbacks', array( $this, 'invalid_json_is_a_bad_pairing_request' ), 10, 3 );
		register_rest_route(
			self::REST_NAMESPACE,
			'/pairing/code',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'issue_code' ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/pairing/exchange',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'exchange' ),
				// The code is the credential: no cookie, no signature (the bridge has no secret yet).
				'permission_callback' => '__return_true',
			)
		);
	}

	/**
	 * `POST /pairing/code` → `{"code","expires_at","command"}`.
	 *
	 * @since 0.2.0
	 *
	 * @return \WP_REST_Response
	 */
	public function issue_code(): \WP_REST_Response {
		$issued   = PairingCode::issue( time() );
		$response = new \WP_REST_Response(
			array(
				'code'       => $issued['code'],
				'expires_at' => gmdate( 'Y-m-d\TH:i:s\Z', $issued['expires_at'] ),
				'command'    => self::pair_command( untrailingslashit( home_url() ), $issued['code'] ),
			),
			200
		);
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * `POST /pairing/exchange` with `{"code","bridge_url","bridge_version"}` → `{"secret","site_url",
	 * "previous_secret_valid_until"}`. The order matters: a locked-out address learns nothing, and
	 * a request the site would refuse anyway does not spend the code.
	 *
	 * @since 0.2.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function exchange( \WP_REST_Request $request ) {
		$now = time();
		// phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- validated by Request::client_ip().
		$ip          = Request::client_ip( (string) ( $_SERVER['REMOTE_ADDR'] ?? '' ) );
		$throttle    = new Throttle( self::THROTTLE_SCOPE );
		$retry_after = $throttle->retry_after( $ip, $now );
		if ( $retry_after > 0 ) {
			return self::throttled( $retry_after );
		}
		return self::respond(
			static function () use ( $request, $throttle, $ip, $now ) {
				$body = self::exchange_body( (string) $request->get_body() );
				if ( ! PairingCode::consume( $body['code'], $now ) ) {
					$throttle->record_failure( $ip, $now );
					throw new HttpError( 403, 'pulse_sync_invalid_pairing_code', __( 'The pairing code is wrong, used or expired: generate a new one under Pulse Sync » Status.', 'pulse-sync' ) );
				}
				PairedBridge::record_pairing( $body['bridge_url'], $body['bridge_version'], $now );
				$rotation = Pairing::rotate( $now );
				$response = new \WP_REST_Response(
					array(
						'secret'                      => $rotation['secret'],
						'site_url'                    => untrailingslashit( home_url() ),
						'previous_secret_valid_until' => null === $rotation['previous_valid_until'] ? null : gmdate( 'Y-m-d\TH:i:s\Z', $rotation['previous_valid_until'] ),
					),
					200
				);
				$response->header( 'Cache-Control', 'no-store' );
				return $response;
			}
		);
	}

	/**
	 * WordPress refuses a malformed JSON body before the callback runs; on the exchange route the
	 * bridge hears the contract's code for a bad body instead.
	 *
	 * @since 0.2.0
	 *
	 * @param mixed            $response Response so far (a WP_Error for invalid parameters).
	 * @param array            $handler  Route handler.
	 * @param \WP_REST_Request $request  Request.
	 * @return mixed
	 */
	public function invalid_json_is_a_bad_pairing_request( $response, array $handler, \WP_REST_Request $request ) {
		if ( ! is_wp_error( $response ) || array( $this, 'exchange' ) !== ( $handler['callback'] ?? null ) ) {
			return $response;
		}
		return self::bad_request()->to_wp_error();
	}

	/**
	 * The command an owner runs where the bridge lives; the site URL is quoted for the shell when
	 * it has anything but URL-safe characters.
	 *
	 * @since 0.2.0
	 *
	 * @param string $site_url Site URL.
	 * @param string $code     Pairing code.
	 * @return string
	 */
	public static function pair_command( string $site_url, string $code ): string {
		$site = 1 === preg_match( '#^[A-Za-z0-9:/._~%+@-]+$#', $site_url ) ? $site_url : "'" . str_replace( "'", "'\\''", $site_url ) . "'";
		return 'npx pulse-sync-bridge pair ' . $site . ' --code ' . $code;
	}

	/**
	 * The exchange body, validated.
	 *
	 * @since 0.2.0
	 *
	 * @param string $raw Raw JSON body.
	 * @return array{code:string,bridge_url:string,bridge_version:string|null}
	 * @throws HttpError 400 `pulse_sync_invalid_pairing_request`.
	 */
	private static function exchange_body( string $raw ): array {
		$body = json_decode( $raw, true );
		if ( ! is_array( $body ) ) {
			throw self::bad_request();
		}
		$code    = $body['code'] ?? null;
		$url     = is_string( $body['bridge_url'] ?? null ) ? BridgeUrl::validate( $body['bridge_url'] ) : null;
		$version = $body['bridge_version'] ?? null;
		if ( ! is_string( $code ) || '' === trim( $code ) || strlen( $code ) > self::MAX_CODE_LENGTH
			|| ! is_string( $url )
			|| ( null !== $version && ! is_string( $version ) ) ) {
			throw self::bad_request();
		}
		return array(
			'code'           => $code,
			'bridge_url'     => $url,
			'bridge_version' => $version,
		);
	}

	/**
	 * The 429 answer of a locked-out address.
	 *
	 * @since 0.2.0
	 *
	 * @param int $retry_after Seconds to wait.
	 * @return \WP_REST_Response
	 */
	private static function throttled( int $retry_after ): \WP_REST_Response {
		$response = rest_convert_error_to_response(
			( new HttpError( 429, 'pulse_sync_pairing_throttled', __( 'Too many wrong pairing codes from this address; try again later.', 'pulse-sync' ) ) )->to_wp_error()
		);
		$response->header( 'Retry-After', (string) $retry_after );
		return $response;
	}

	/**
	 * The 400 answer of a malformed exchange.
	 *
	 * @since 0.2.0
	 *
	 * @return HttpError
	 */
	private static function bad_request(): HttpError {
		return new HttpError( 400, 'pulse_sync_invalid_pairing_request', __( 'Send {"code","bridge_url","bridge_version"}: bridge_url must be https://, or http:// on loopback, without user, query or fragment.', 'pulse-sync' ) );
	}
}
