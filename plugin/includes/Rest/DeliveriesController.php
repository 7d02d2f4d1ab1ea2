<?php
/**
 * Panel routes: the bridge's delivery log.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Rest;

use PulseSync\Bridge\Client;

defined( 'ABSPATH' ) || exit;

/**
 * `GET /deliveries`, `GET /deliveries/{id}`, `POST /deliveries/{id}/replay`, relayed to the bridge.
 *
 * @since 0.1.0
 */
class DeliveriesController extends Controller {

	private const ID_PATTERN = '(?P<id>[A-Za-z0-9_\-]{1,64})';

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
			'/deliveries',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'list_deliveries' ),
				'permission_callback' => array( $this, 'can_manage' ),
				'args'                => array(
					'status'     => array(
						'type' => 'string',
						'enum' => array( 'queued', 'in_progress', 'done', 'failed' ),
					),
					'action'     => array(
						'type' => 'string',
						'enum' => array( 'add', 'update', 'update_tags' ),
					),
					'contact_id' => array(
						'type'    => 'integer',
						'minimum' => 1,
					),
					'email'      => array(
						'type'      => 'string',
						'maxLength' => 254,
					),
					'page'       => array(
						'type'    => 'integer',
						'minimum' => 1,
						'default' => 1,
					),
					'per_page'   => array(
						'type'    => 'integer',
						'minimum' => 1,
						'maximum' => 100,
						'default' => 20,
					),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/deliveries/' . self::ID_PATTERN,
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'get_delivery' ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/deliveries/' . self::ID_PATTERN . '/replay',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'replay' ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
	}

	/**
	 * `GET /deliveries`.
	 *
	 * @since 0.1.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function list_deliveries( \WP_REST_Request $request ) {
		$query = array();
		foreach ( array( 'status', 'action', 'contact_id', 'email', 'page', 'per_page' ) as $name ) {
			if ( null !== $request[ $name ] && '' !== $request[ $name ] ) {
				$query[ $name ] = 'email' === $name ? sanitize_text_field( $request[ $name ] ) : $request[ $name ];
			}
		}
		return self::respond( static fn() => self::relay( Client::from_settings()->get( '/v1/deliveries', $query ) ) );
	}

	/**
	 * `GET /deliveries/{id}`.
	 *
	 * @since 0.1.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function get_delivery( \WP_REST_Request $request ) {
		return self::respond( static fn() => self::relay( Client::from_settings()->get( '/v1/deliveries/' . $request['id'] ) ) );
	}

	/**
	 * `POST /deliveries/{id}/replay`.
	 *
	 * @since 0.1.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function replay( \WP_REST_Request $request ) {
		return self::respond( static fn() => self::relay( Client::from_settings()->post( '/v1/deliveries/' . $request['id'] . '/replay' ) ) );
	}
}
