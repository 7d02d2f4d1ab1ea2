<?php
/**
 * Panel route: the webhook access key.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Rest;

use PulseSync\AccessKey;
use PulseSync\HttpError;

defined( 'ABSPATH' ) || exit;

/**
 * `GET|POST /access-key` → `{"access_key","weak"}`.
 *
 * @since 0.1.0
 */
class AccessKeyController extends Controller {

	/**
	 * Registers the routes.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/access-key',
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_key' ),
					'permission_callback' => array( $this, 'can_manage' ),
				),
				array(
					'methods'             => \WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'change_key' ),
					'permission_callback' => array( $this, 'can_manage' ),
				),
			)
		);
	}

	/**
	 * `GET /access-key`.
	 *
	 * @since 0.1.0
	 *
	 * @return \WP_REST_Response
	 */
	public function get_key(): \WP_REST_Response {
		return self::key_response();
	}

	/**
	 * `POST /access-key` with `{"regenerate":true}` or `{"key":"…"}` (a key pasted from the
	 * reference integration, so existing CRM workflows keep working).
	 *
	 * @since 0.1.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function change_key( \WP_REST_Request $request ) {
		return self::respond(
			static function () use ( $request ) {
				$body = $request->get_json_params();
				if ( true === ( $body['regenerate'] ?? null ) ) {
					AccessKey::regenerate();
				} elseif ( is_string( $body['key'] ?? null ) ) {
					AccessKey::set( trim( $body['key'] ) );
				} else {
					throw new HttpError( 400, 'pulse_sync_invalid_body', __( 'Send {"regenerate":true} or {"key":"…"}.', 'pulse-sync' ) );
				}
				return self::key_response();
			}
		);
	}

	/**
	 * The answer: the key and whether it is weak.
	 *
	 * @since 0.1.0
	 *
	 * @return \WP_REST_Response
	 */
	private static function key_response(): \WP_REST_Response {
		$key = AccessKey::get();
		return new \WP_REST_Response(
			array(
				'access_key' => $key,
				'weak'       => AccessKey::is_weak( $key ),
			),
			200
		);
	}
}
