<?php
/**
 * Panel routes: the CRM connection, fields and tags (through the bridge).
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Rest;

use PulseSync\Admin\OAuthCallback;
use PulseSync\Bridge\Client;

defined( 'ABSPATH' ) || exit;

/**
 * `GET /crm/fields`, `GET /crm/tags`, `POST /crm/connect`, `POST /crm/disconnect`.
 * WordPress never calls the CRM itself: the bridge holds the tokens.
 *
 * @since 0.1.0
 */
class CrmController extends Controller {

	/**
	 * Registers the routes.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public function register_routes(): void {
		$refresh = array(
			'refresh' => array(
				'type'    => 'boolean',
				'default' => false,
			),
		);
		foreach ( array( 'fields', 'tags' ) as $list ) {
			register_rest_route(
				self::REST_NAMESPACE,
				'/crm/' . $list,
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => fn( \WP_REST_Request $request ) => $this->get_list( $list, $request ),
					'permission_callback' => array( $this, 'can_manage' ),
					'args'                => $refresh,
				)
			);
		}
		register_rest_route(
			self::REST_NAMESPACE,
			'/crm/connect',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'connect' ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/crm/disconnect',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'disconnect' ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
	}

	/**
	 * `GET /crm/fields` and `GET /crm/tags` (`?refresh=1` skips the bridge's cache).
	 *
	 * @since 0.1.0
	 *
	 * @param string           $list    fields or tags.
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function get_list( string $list, \WP_REST_Request $request ) {
		return self::respond(
			static fn() => self::relay( Client::from_settings()->get( '/v1/crm/' . $list, $request['refresh'] ? array( 'refresh' => 1 ) : array() ) )
		);
	}

	/**
	 * `POST /crm/connect` → `{"authorize_url"}`, built by the bridge (it owns the CRM's URLs).
	 *
	 * @since 0.1.0
	 *
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function connect() {
		return self::respond( static fn() => self::relay( Client::from_settings()->post( '/v1/crm/authorize', OAuthCallback::start() ) ) );
	}

	/**
	 * `POST /crm/disconnect` → the bridge's CRM status object.
	 *
	 * @since 0.1.0
	 *
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function disconnect() {
		return self::respond( static fn() => self::relay( Client::from_settings()->post( '/v1/crm/disconnect' ) ) );
	}
}
