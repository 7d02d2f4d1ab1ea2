<?php
/**
 * Panel route: send a test webhook.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Rest;

use PulseSync\Webhook\SelfTest;

defined( 'ABSPATH' ) || exit;

/**
 * `POST /test-webhook` → `{"status","body","error","duration_ms"}`.
 *
 * @since 0.1.0
 */
class TestWebhookController extends Controller {

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
			'/test-webhook',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'send_test' ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
	}

	/**
	 * `POST /test-webhook`: what the site's endpoint answered (status null when unreachable).
	 *
	 * @since 0.1.0
	 *
	 * @return \WP_REST_Response
	 */
	public function send_test(): \WP_REST_Response {
		return new \WP_REST_Response( SelfTest::run(), 200 );
	}
}
