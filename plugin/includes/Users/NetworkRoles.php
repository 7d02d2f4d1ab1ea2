<?php
/**
 * A user's capabilities on every site of a multisite network.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Whether a user is privileged on any site of the network, not only on the site whose
 * webhook runs.
 *
 * Usermeta is shared by the network: a webhook that changes a user's fields or tags on
 * one site changes them for the editor or shop manager of another site too, so such a
 * user is protected everywhere. WordPress keeps a user's grants per site in the usermeta
 * row `{blog prefix}capabilities` (role slug or capability => bool) and each site's role
 * definitions in that site's `{blog prefix}user_roles` option.
 *
 * @since 0.2.0
 */
class NetworkRoles {

	/**
	 * Whether the user holds a privileged role or capability on any site they belong to.
	 *
	 * @since 0.2.0
	 *
	 * @param int                                          $user_id    User id.
	 * @param (callable(int):array<string,array>)|null $site_roles Role definitions of a site
	 *                                                             (slug => `{capabilities}`);
	 *                                                             default: that site's option.
	 * @return bool
	 */
	public static function privileged_anywhere( int $user_id, ?callable $site_roles = null ): bool {
		$site_roles = $site_roles ?? array( self::class, 'role_definitions' );
		foreach ( self::grants_by_site( $user_id ) as $site_id => $grants ) {
			if ( RoleGuard::has_privileged_capability( self::effective_capabilities( $grants, $site_roles( $site_id ) ) ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The user's grants on each site, from their `{blog prefix}capabilities` usermeta rows.
	 *
	 * @since 0.2.0
	 *
	 * @param int $user_id User id.
	 * @return array<int,array<string,mixed>> Site id => role slug or capability => granted.
	 */
	public static function grants_by_site( int $user_id ): array {
		global $wpdb;
		$rows  = $wpdb->get_results(
			$wpdb->prepare(
				"SELECT meta_key, meta_value FROM {$wpdb->usermeta} WHERE user_id = %d AND meta_key LIKE %s",
				$user_id,
				$wpdb->esc_like( $wpdb->base_prefix ) . '%capabilities'
			)
		);
		$sites = array();
		foreach ( (array) $rows as $row ) {
			$site_id = self::site_of_meta_key( (string) $row->meta_key, $wpdb->base_prefix, self::main_site_id() );
			$grants  = maybe_unserialize( $row->meta_value );
			if ( null !== $site_id && is_array( $grants ) ) {
				$sites[ $site_id ] = $grants;
			}
		}
		return $sites;
	}

	/**
	 * The site a `capabilities` usermeta key belongs to: `{base}capabilities` is the main
	 * site's, `{base}{id}_capabilities` site `id`'s; anything else (another plugin's
	 * `…_capabilities` key) is none.
	 *
	 * @since 0.2.0
	 *
	 * @param string $meta_key    Usermeta key.
	 * @param string $base_prefix The network's table prefix.
	 * @param int    $main_site   Main site id.
	 * @return int|null
	 */
	public static function site_of_meta_key( string $meta_key, string $base_prefix, int $main_site ): ?int {
		if ( $base_prefix . 'capabilities' === $meta_key ) {
			return $main_site;
		}
		$pattern = '/^' . preg_quote( $base_prefix, '/' ) . '([1-9][0-9]*)_capabilities$/';
		return 1 === preg_match( $pattern, $meta_key, $match ) ? (int) $match[1] : null;
	}

	/**
	 * A user's capabilities on one site, as WP_User::get_role_caps() merges them: the
	 * capabilities of each role named in the grants (WordPress counts a role whatever its
	 * value), then the user's own grants (which may deny), plus the role slugs themselves.
	 *
	 * @since 0.2.0
	 *
	 * @param array<string,mixed> $grants Role slug or capability => granted.
	 * @param array<string,mixed> $roles  The site's role definitions: slug => `{capabilities}`.
	 * @return array<string,bool>
	 */
	public static function effective_capabilities( array $grants, array $roles ): array {
		$capabilities = array();
		foreach ( array_keys( $grants ) as $name ) {
			$definition = $roles[ $name ] ?? null;
			if ( is_array( $definition ) && is_array( $definition['capabilities'] ?? null ) ) {
				$capabilities = array_merge( $capabilities, array_map( 'boolval', $definition['capabilities'] ) );
			}
		}
		foreach ( $grants as $name => $granted ) {
			$capabilities[ (string) $name ] = (bool) $granted;
		}
		return $capabilities;
	}

	/**
	 * A site's role definitions, from its `{blog prefix}user_roles` option.
	 *
	 * @since 0.2.0
	 *
	 * @param int $site_id Site id.
	 * @return array<string,mixed>
	 */
	public static function role_definitions( int $site_id ): array {
		global $wpdb;
		$roles = get_blog_option( $site_id, $wpdb->get_blog_prefix( $site_id ) . 'user_roles', array() );
		return is_array( $roles ) ? $roles : array();
	}

	/**
	 * The network's main site id (1 outside multisite).
	 *
	 * @since 0.2.0
	 *
	 * @return int
	 */
	private static function main_site_id(): int {
		return function_exists( 'get_main_site_id' ) ? (int) get_main_site_id() : 1;
	}
}
