<?php
/**
 * The owner's settings: storage and defaults (validation: Settings/SettingValidator.php, revision:
 * Settings/Revision.php, the CRM client secret: Settings/ClientSecret.php).
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync;

use PulseSync\Settings\SettingValidator;
use PulseSync\Users\FieldMap;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the `pulse_sync_settings` option.
 *
 * Neither it nor the client secret's option is registered with `show_in_rest`, so no secret can
 * leak through `/wp/v2/settings`; the panel uses the plugin's own routes.
 *
 * @since 0.1.0
 */
class Settings {

	public const OPTION = 'pulse_sync_settings';

	/**
	 * Default settings.
	 *
	 * @since 0.1.0
	 *
	 * @return array<string,mixed>
	 */
	public static function defaults(): array {
		return array(
			'bridge_url'              => 'http://127.0.0.1:8787',
			'wait_budget_ms'          => 3000,
			'max_waiting_workers'     => 2,
			'default_role'            => '',
			'allowed_roles'           => array(),
			'change_roles_of_other_users' => false,
			'link_users_by_email'     => true,
			'username_format'         => 'email',
			'always_send_welcome'     => false,
			'return_password_enabled' => false,
			'return_password_field'   => '',
			'field_mapping'           => FieldMap::DEFAULT_MAPPING,
			'crm_account_url'         => '',
			'crm_portal_url'          => '',
			'crm_client_id'           => '',
			'reconcile_enabled'       => false,
			'reconcile_tag_ids'       => array(),
		);
	}

	/**
	 * All settings, defaults filled in.
	 *
	 * @since 0.1.0
	 *
	 * @return array<string,mixed>
	 */
	public static function all(): array {
		$stored = get_option( self::OPTION, array() );
		$stored = is_array( $stored ) ? array_intersect_key( $stored, self::defaults() ) : array();
		return array_merge( self::defaults(), $stored );
	}

	/**
	 * One setting.
	 *
	 * @since 0.1.0
	 *
	 * @param string $key Setting name.
	 * @return mixed
	 */
	public static function get( string $key ) {
		return self::all()[ $key ] ?? null;
	}

	/**
	 * Validates a partial update and stores it; the revision is bumped by the option hooks.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $changes Setting name => new value.
	 * @return array<string,mixed> All settings after the update.
	 * @throws HttpError 400 when a name is unknown or a value is invalid.
	 */
	public static function update( array $changes ): array {
		$settings = self::all();
		foreach ( $changes as $key => $value ) {
			if ( ! array_key_exists( (string) $key, $settings ) ) {
				/* translators: %s: setting name. */
				throw new HttpError( 400, 'pulse_sync_unknown_setting', sprintf( __( 'Unknown setting: %s.', 'pulse-sync' ), sanitize_key( (string) $key ) ) );
			}
			$settings[ $key ] = SettingValidator::value( (string) $key, $value );
		}
		update_option( self::OPTION, $settings );
		return $settings;
	}
}
