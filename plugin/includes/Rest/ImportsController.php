<?php
/**
 * Panel routes: import, resync and reconciliation runs (through the bridge).
 *
 * @package PulseSync
 * @since   0.3.0
 */

namespace PulseSync\Rest;

use PulseSync\Bridge\Client;
use PulseSync\Settings;
use PulseSync\Users\RoleGuard;

defined( 'ABSPATH' ) || exit;

/**
 * `GET /imports`, `GET /imports/preview`, `POST /imports`, `GET /imports/{id}` and
 * `POST /imports/{id}/pause|resume|cancel`, relayed to the bridge's `/v1/imports…` routes,
 * which own the runs (docs/architecture.md, "Import, resync and reconciliation").
 *
 * @since 0.3.0
 */
class ImportsController extends Controller {

	private const ID_PATTERN = '(?P<id>[1-9][0-9]{0,14})';

	/**
	 * Registers the routes.
	 *
	 * @since 0.3.0
	 *
	 * @return void
	 */
	public function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/imports',
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => static fn() => self::respond( static fn() => self::relay( Client::from_settings()->get( '/v1/imports' ) ) ),
					'permission_callback' => array( $this, 'can_manage' ),
				),
				array(
					'methods'             => \WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'start' ),
					'permission_callback' => array( $this, 'can_manage' ),
					'args'                => array(
						'kind'              => array(
							'type'     => 'string',
							'enum'     => array( 'import', 'resync' ),
							'required' => true,
						),
						'tag_id'            => array(
							'type'    => 'integer',
							'minimum' => 1,
						),
						'role'              => array(
							'type'              => 'string',
							'validate_callback' => array( self::class, 'validate_role' ),
						),
						'send_notification' => array(
							'type'    => 'boolean',
							'default' => false,
						),
						'mapped_fields'     => array(
							'type'    => 'boolean',
							'default' => false,
						),
					),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/imports/preview',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => static fn( \WP_REST_Request $request ) => self::respond( static fn() => self::relay( Client::from_settings()->get( '/v1/imports/preview', array( 'tag_id' => (int) $request['tag_id'] ) ) ) ),
				'permission_callback' => array( $this, 'can_manage' ),
				'args'                => array(
					'tag_id' => array(
						'type'     => 'integer',
						'minimum'  => 1,
						'required' => true,
					),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/imports/' . self::ID_PATTERN,
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => static fn( \WP_REST_Request $request ) => self::respond( static fn() => self::relay( Client::from_settings()->get( '/v1/imports/' . (int) $request['id'] ) ) ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/imports/' . self::ID_PATTERN . '/(?P<command>pause|resume|cancel)',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => static fn( \WP_REST_Request $request ) => self::respond( static fn() => self::relay( Client::from_settings()->post( '/v1/imports/' . (int) $request['id'] . '/' . $request['command'] ) ) ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
	}

	/**
	 * `POST /imports`: starts an import of a tag (`tag_id`, `role`, `send_notification`) or a
	 * resync of the linked users (`mapped_fields`).
	 *
	 * @since 0.3.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function start( \WP_REST_Request $request ) {
		if ( 'import' === $request['kind'] && null === $request['tag_id'] ) {
			return new \WP_Error( 'rest_missing_callback_param', __( 'Choose the tag to import.', 'pulse-sync' ), array( 'status' => 400 ) );
		}
		$body = 'import' === $request['kind']
			? array(
				'kind'              => 'import',
				'tag_id'            => (int) $request['tag_id'],
				'role'              => (string) $request['role'],
				'send_notification' => (bool) $request['send_notification'],
			)
			: array(
				'kind'          => 'resync',
				'mapped_fields' => (bool) $request['mapped_fields'],
			);
		return self::respond( static fn() => self::relay( Client::from_settings()->post( '/v1/imports', $body ) ) );
	}

	/**
	 * The role must be one a webhook may grant ('' = the default role), as for an `add`.
	 *
	 * @since 0.3.0
	 *
	 * @param mixed $value Raw value.
	 * @return true|\WP_Error
	 */
	public static function validate_role( $value ) {
		$settings = Settings::all();
		if ( '' === $value || in_array( $value, RoleGuard::allowed_roles( $settings['allowed_roles'], $settings['default_role'] ), true ) ) {
			return true;
		}
		return new \WP_Error( 'rest_invalid_param', __( 'That role may not be granted by Pulse Sync; tick it in Settings first.', 'pulse-sync' ), array( 'status' => 400 ) );
	}
}
