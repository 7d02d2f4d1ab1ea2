<?php
/**
 * Panel route: status of the bridge, the queue and the spool.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Rest;

use PulseSync\Bridge\BridgeUnavailable;
use PulseSync\Bridge\Client;
use PulseSync\Bridge\PairedBridge;
use PulseSync\Settings;
use PulseSync\Webhook\Spool;

defined( 'ABSPATH' ) || exit;

/**
 * `GET /status` → `{"bridge":{"url","reachable","error","status"},"pairing":{…},"spool":{"pending","failed","max_rows"},"plugin_version"}`
 * where `status` is the bridge's `GET /v1/status` answer (null when unreachable) and `pairing` is
 * PairedBridge::summary().
 *
 * @since 0.1.0
 */
class StatusController extends Controller {

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
			'/status',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'get_status' ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
	}

	/**
	 * `GET /status`.
	 *
	 * @since 0.1.0
	 *
	 * @return \WP_REST_Response
	 */
	public function get_status(): \WP_REST_Response {
		$bridge = array(
			'url'       => Settings::get( 'bridge_url' ),
			'reachable' => false,
			'error'     => null,
			'status'    => null,
		);
		try {
			$response = Client::from_settings()->get( '/v1/status' );
			if ( $response->is_success() ) {
				$bridge['reachable'] = true;
				$bridge['status']    = $response->body;
			} else {
				$bridge['error'] = 401 === $response->status
					? __( 'The bridge refused the signature: pair it again with a new pairing code.', 'pulse-sync' )
					/* translators: %d: HTTP status code. */
					: sprintf( __( 'The bridge answered HTTP %d.', 'pulse-sync' ), $response->status );
			}
		} catch ( BridgeUnavailable $e ) {
			$bridge['error'] = $e->getMessage();
		}
		return new \WP_REST_Response(
			array(
				'bridge'         => $bridge,
				'pairing'        => PairedBridge::summary( is_string( $bridge['status']['version'] ?? null ) ? $bridge['status']['version'] : null ),
				'spool'          => array(
					'pending'  => Spool::count(),
					'failed'   => Spool::count_failed(),
					'max_rows' => Spool::max_rows(),
				),
				'plugin_version' => PULSE_SYNC_VERSION,
			),
			200
		);
	}
}
