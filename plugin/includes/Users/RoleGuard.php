<?php
/**
 * Which roles a webhook may grant, and which users a webhook may never touch.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Keeps webhooks away from privileged roles and privileged users.
 *
 * A webhook URL is a shared secret pasted into a third-party system; whoever
 * holds it must never be able to mint an administrator or take over one.
 *
 * @since 0.1.0
 */
class RoleGuard {

	/**
	 * Capabilities that make a role privileged.
	 *
	 * @since 0.1.0
	 */
	private const PRIVILEGED_CAPABILITIES = array(
		'manage_options',
		'edit_users',
		'promote_users',
		'create_users',
		'delete_users',
		'activate_plugins',
		'edit_plugins',
		'install_plugins',
		'edit_themes',
		'unfiltered_html',
	);

	/**
	 * The capabilities that make a role or user privileged.
	 *
	 * @since 0.1.0
	 *
	 * @return string[]
	 */
	public static function privileged_capabilities(): array {
		/**
		 * Filters the capabilities that a webhook may never grant and whose holders
		 * a webhook may never change. Entries can only be added: the built-in list
		 * always applies.
		 *
		 * @since 0.1.0
		 *
		 * @param string[] $capabilities Default: manage_options, edit_users, promote_users,
		 *                               create_users, delete_users, activate_plugins,
		 *                               edit_plugins, install_plugins, edit_themes,
		 *                               unfiltered_html.
		 */
		$extra = apply_filters( 'pulse_sync_privileged_capabilities', self::PRIVILEGED_CAPABILITIES );
		return array_values( array_unique( array_merge( self::PRIVILEGED_CAPABILITIES, array_filter( (array) $extra, 'is_string' ) ) ) );
	}

	/**
	 * Whether a role is privileged (or does not exist, which is treated the same).
	 *
	 * @since 0.1.0
	 *
	 * @param string $role Role slug.
	 * @return bool
	 */
	public static function is_privileged_role( string $role ): bool {
		if ( 'administrator' === $role ) {
			return true;
		}
		$role_object = get_role( $role );
		if ( null === $role_object ) {
			return true;
		}
		foreach ( self::privileged_capabilities() as $capability ) {
			if ( ! empty( $role_object->capabilities[ $capability ] ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Every existing role a webhook could ever grant, slug => translated name.
	 *
	 * @since 0.1.0
	 *
	 * @return array<string,string>
	 */
	public static function grantable_roles(): array {
		$roles = array();
		foreach ( wp_roles()->get_names() as $slug => $name ) {
			if ( ! self::is_privileged_role( (string) $slug ) ) {
				$roles[ (string) $slug ] = translate_user_role( $name );
			}
		}
		return $roles;
	}

	/**
	 * The roles a webhook may grant on this site: the roles the owner ticked in the
	 * `allowed_roles` setting that are still grantable; with none ticked, only the
	 * default role (see default_role()).
	 *
	 * Before 0.2.0 an empty setting meant every grantable role, so `role=author` or a
	 * plugin's role such as WooCommerce's `shop_manager` could be granted by URL.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Empty means the default role only; takes the `default_role` setting.
	 *
	 * @param string[] $allowed_setting The `allowed_roles` setting.
	 * @param string   $plugin_default  The `default_role` setting ('' = site default).
	 * @return string[]
	 */
	public static function allowed_roles( array $allowed_setting, string $plugin_default ): array {
		if ( array() === $allowed_setting ) {
			return array( self::default_role( $plugin_default ) );
		}
		return array_values( array_intersect( array_keys( self::grantable_roles() ), $allowed_setting ) );
	}

	/**
	 * The requested role if a webhook may grant it, else null.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Takes the `default_role` setting.
	 *
	 * @param string|null $requested       Requested role slug.
	 * @param string[]    $allowed_setting The `allowed_roles` setting.
	 * @param string      $plugin_default  The `default_role` setting ('' = site default).
	 * @return string|null
	 */
	public static function permitted_role( ?string $requested, array $allowed_setting, string $plugin_default ): ?string {
		if ( null === $requested || '' === $requested || self::is_privileged_role( $requested ) ) {
			return null;
		}
		return in_array( $requested, self::allowed_roles( $allowed_setting, $plugin_default ), true ) ? $requested : null;
	}

	/**
	 * Whether a webhook may change the role of an existing user: only of users Pulse Sync
	 * created (they carry Upserter::CREATED_BY_META), unless the owner turned on
	 * `change_roles_of_other_users`. Protected users are never changed at all.
	 *
	 * @since 0.2.0
	 *
	 * @param \WP_User $user     Existing, unprotected user.
	 * @param bool     $any_user The `change_roles_of_other_users` setting.
	 * @return bool
	 */
	public static function may_change_role_of( \WP_User $user, bool $any_user ): bool {
		return $any_user || '' !== (string) get_user_meta( $user->ID, Upserter::CREATED_BY_META, true );
	}

	/**
	 * The role a new user gets when the webhook asked for none (or for one it may not grant):
	 * the plugin's default role, else the site's default role, as long as it is not privileged;
	 * `subscriber` as the last resort.
	 *
	 * @since 0.1.0
	 *
	 * @param string $plugin_default The `default_role` setting ('' = site default).
	 * @return string
	 */
	public static function default_role( string $plugin_default ): string {
		foreach ( array( $plugin_default, (string) get_option( 'default_role', 'subscriber' ) ) as $candidate ) {
			if ( '' !== $candidate && ! self::is_privileged_role( $candidate ) ) {
				return $candidate;
			}
		}
		return 'subscriber';
	}

	/**
	 * Whether a user holds any privileged capability (or is a super admin) on this site or,
	 * on a multisite network, on any site of the network; such users are never changed by a
	 * webhook (usermeta, and so the user's tags and fields, is shared by the whole network).
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Looks at every site of the network.
	 *
	 * @param \WP_User $user User.
	 * @return bool
	 */
	public static function is_protected_user( \WP_User $user ): bool {
		if ( is_multisite() && is_super_admin( $user->ID ) ) {
			return true;
		}
		if ( in_array( 'administrator', (array) $user->roles, true ) || self::has_privileged_capability( $user->allcaps ) ) {
			return true;
		}
		return is_multisite() && NetworkRoles::privileged_anywhere( $user->ID );
	}

	/**
	 * Whether a set of capabilities (capability => granted) holds a privileged one, or
	 * includes the administrator role.
	 *
	 * @since 0.2.0
	 *
	 * @param array<string,mixed> $capabilities Capability (or role) => granted.
	 * @return bool
	 */
	public static function has_privileged_capability( array $capabilities ): bool {
		if ( ! empty( $capabilities['administrator'] ) ) {
			return true;
		}
		foreach ( self::privileged_capabilities() as $capability ) {
			if ( ! empty( $capabilities[ $capability ] ) ) {
				return true;
			}
		}
		return false;
	}
}
