<?php
/**
 * What every REST controller of the plugin shares.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Rest;

use PulseSync\Bridge\Response;
use PulseSync\HttpError;

defined( 'ABSPATH' ) || exit;

/**
 * Base for the plugin's REST controllers (namespace `pulse-sync/v1`).
 *
 * @since 0.1.0
 */
abstract class Controller {

	public const REST_NAMESPACE = 'pulse-sync/v1';

	/**
	 * Registers the controller's routes.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	abstract public function register_routes(): void;

	/**
	 * Permission callback of the panel routes. WordPress answers 401 to anonymous
	 * callers and 403 to logged-in users without the capability; cookie requests
	 * also need the REST nonce, which WordPress checks.
	 *
	 * @since 0.1.0
	 *
	 * @return bool
	 */
	public function can_manage(): bool {
		return current_user_can( 'manage_options' );
	}

	/**
	 * Runs a route body, turning typed errors into REST errors with their status.
	 *
	 * @since 0.1.0
	 *
	 * @param callable():mixed $handler Route body returning data or a response.
	 * @return \WP_REST_Response|\WP_Error
	 */
	protected static function respond( callable $handler ) {
		try {
			$result = $handler();
		} catch ( HttpError $e ) {
			return $e->to_wp_error();
		}
		return $result instanceof \WP_REST_Response ? $result : new \WP_REST_Response( $result, 200 );
	}

	/**
	 * Passes a bridge answer on; bridge errors (`{"error","message"}`) become REST errors.
	 *
	 * @since 0.1.0
	 *
	 * @param Response $response Bridge answer.
	 * @return \WP_REST_Response
	 * @throws HttpError With the bridge's status, code and message when it refused.
	 */
	protected static function relay( Response $response ): \WP_REST_Response {
		if ( ! $response->is_success() ) {
			$code    = is_string( $response->body['error'] ?? null ) ? $response->body['error'] : 'pulse_sync_bridge_error';
			$message = is_string( $response->body['message'] ?? null ) ? $response->body['message'] : __( 'The bridge refused the request.', 'pulse-sync' );
			// A bridge that rejects our signature means the pairing is broken, not that the owner is unauthenticated.
			$status = 401 === $response->status ? 502 : $response->status;
			throw new HttpError( $status, $code, $message );
		}
		return new \WP_REST_Response( $response->body, $response->status );
	}
}
