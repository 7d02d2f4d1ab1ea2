<?php
/**
 * Panel route: roles a webhook may grant.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Rest;

use PulseSync\Settings;
use PulseSync\Users\RoleGuard;

defined( 'ABSPATH' ) || exit;

/**
 * `GET /roles` → `{"roles":[{"slug","name","allowed"}],"site_default_role"}`; privileged roles are never listed.
 *
 * @since 0.1.0
 */
class RolesController extends Controller {

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
			'/roles',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'get_roles' ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
	}

	/**
	 * `GET /roles`: every grantable role; `allowed` says whether a webhook may grant it now (with
	 * no role ticked in `allowed_roles`, only the default role is).
	 *
	 * @since 0.1.0
	 *
	 * @return \WP_REST_Response
	 */
	public function get_roles(): \WP_REST_Response {
		$settings = Settings::all();
		$allowed  = RoleGuard::allowed_roles( $settings['allowed_roles'], $settings['default_role'] );
		$roles    = array();
		foreach ( RoleGuard::grantable_roles() as $slug => $name ) {
			$roles[] = array(
				'slug'    => $slug,
				'name'    => $name,
				'allowed' => in_array( $slug, $allowed, true ),
			);
		}
		return new \WP_REST_Response(
			array(
				'roles'             => $roles,
				'site_default_role' => RoleGuard::default_role( '' ),
			),
			200
		);
	}
}
