<?php
/**
 * Which WordPress user fields and meta keys a CRM field may be mapped to.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Users;

defined( 'ABSPATH' ) || exit;

/**
 * The WordPress side of the field mapping.
 *
 * @since 0.1.0
 */
class FieldMap {

	/**
	 * Core user fields a mapping may target; anything else is a user meta key.
	 *
	 * @since 0.1.0
	 */
	public const CORE_FIELDS = array(
		'user_login',
		'user_pass',
		'user_email',
		'first_name',
		'last_name',
		'display_name',
		'nickname',
		'user_url',
		'description',
		'role',
	);

	/**
	 * The default mapping: email, first name, last name.
	 *
	 * @since 0.1.0
	 */
	public const DEFAULT_MAPPING = array(
		array(
			'wp'  => 'user_email',
			'crm' => 'email',
		),
		array(
			'wp'  => 'first_name',
			'crm' => 'first_name',
		),
		array(
			'wp'  => 'last_name',
			'crm' => 'last_name',
		),
	);

	/**
	 * Meta keys a mapping may never write: the plugin's own links and WordPress's
	 * capability, level and session data (writing those would grant privileges).
	 *
	 * @since 0.1.0
	 */
	private const RESERVED_META_KEYS = array(
		'pulsetech_contact_id',
		'pulsetech_tags',
		'session_tokens',
		'capabilities',
		'user_level',
		'user-settings',
		'user-settings-time',
		'primary_blog',
		'source_domain',
		'use_ssl',
		'locale',
	);

	/**
	 * Whether a name is a core user field.
	 *
	 * @since 0.1.0
	 *
	 * @param string $name Field name.
	 * @return bool
	 */
	public static function is_core_field( string $name ): bool {
		return in_array( $name, self::CORE_FIELDS, true );
	}

	/**
	 * Whether a CRM field key is well-formed (keys may contain dots, e.g. `address_1.country`).
	 *
	 * @since 0.1.0
	 *
	 * @param string $key CRM field key.
	 * @return bool
	 */
	public static function is_valid_crm_key( string $key ): bool {
		return 1 === preg_match( '/^[A-Za-z0-9_.\-]{1,100}$/', $key );
	}

	/**
	 * Whether a user meta key may be written by a mapping.
	 *
	 * @since 0.1.0
	 *
	 * @param string $key Meta key.
	 * @return bool
	 */
	public static function is_writable_meta_key( string $key ): bool {
		global $wpdb;
		if ( 1 !== preg_match( '/^[A-Za-z][A-Za-z0-9_\-]{0,99}$/', $key ) || self::is_core_field( $key ) ) {
			return false;
		}
		$lower = strtolower( $key );
		if ( in_array( $lower, self::RESERVED_META_KEYS, true ) || str_starts_with( $lower, 'pulse_sync' ) ) {
			return false;
		}
		// Per-site capability keys look like "{prefix}capabilities"; a whole prefix family is off limits.
		if ( str_starts_with( $lower, strtolower( $wpdb->base_prefix ) ) ) {
			return false;
		}
		/**
		 * Filters whether a mapping may write a user meta key.
		 *
		 * @since 0.1.0
		 *
		 * @param bool   $writable Default: true for keys that are not reserved.
		 * @param string $key      Meta key.
		 */
		return (bool) apply_filters( 'pulse_sync_meta_key_writable', true, $key );
	}

	/**
	 * Whether the WordPress side of a mapping row is valid.
	 *
	 * @since 0.1.0
	 *
	 * @param string $target Core field or meta key.
	 * @return bool
	 */
	public static function is_valid_target( string $target ): bool {
		return self::is_core_field( $target ) || self::is_writable_meta_key( $target );
	}
}
