<?php
/**
 * The owner's settings: defaults, validation, revision counter.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync;

use PulseSync\Bridge\BridgeUrl;
use PulseSync\Imports\ReconcileTags;
use PulseSync\Users\FieldMap;
use PulseSync\Users\RoleGuard;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the `pulse_sync_settings` option and the CRM client secret.
 *
 * None of these options is registered with `show_in_rest`, so no secret can
 * leak through `/wp/v2/settings`; the panel uses the plugin's own routes.
 *
 * @since 0.1.0
 */
class Settings {

	public const OPTION               = 'pulse_sync_settings';
	public const REV_OPTION           = 'pulse_sync_settings_rev';
	public const CLIENT_SECRET_OPTION = 'pulse_sync_crm_client_secret';

	/**
	 * The longest wait budget; CRMs give up on webhooks after a few tens of seconds.
	 *
	 * @since 0.1.0
	 */
	private const MAX_WAIT_BUDGET_MS = 20000;

	private const MAX_WAITING_WORKERS = 20;
	private const MAX_MAPPING_ROWS    = 100;
	private const USERNAME_FORMATS    = array( 'email', 'firstlast', 'first_digits' );

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
			$settings[ $key ] = self::sanitize_value( (string) $key, $value );
		}
		update_option( self::OPTION, $settings );
		return $settings;
	}

	/**
	 * The current settings revision.
	 *
	 * @since 0.1.0
	 *
	 * @return int
	 */
	public static function rev(): int {
		return (int) get_option( self::REV_OPTION, 1 );
	}

	/**
	 * Bumps the settings revision so the bridge reloads its cached copy.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function bump_rev(): void {
		update_option( self::REV_OPTION, self::rev() + 1 );
	}

	/**
	 * Registers the hooks that bump the revision on every change, whoever makes it.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function register_hooks(): void {
		foreach ( array( self::OPTION, self::CLIENT_SECRET_OPTION ) as $option ) {
			add_action( 'add_option_' . $option, array( self::class, 'bump_rev' ) );
			add_action( 'update_option_' . $option, array( self::class, 'bump_rev' ) );
			add_action( 'delete_option_' . $option, array( self::class, 'bump_rev' ) );
		}
	}

	/**
	 * The OAuth client secret ('' when not set).
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public static function client_secret(): string {
		return (string) get_option( self::CLIENT_SECRET_OPTION, '' );
	}

	/**
	 * Stores the OAuth client secret, never autoloaded.
	 *
	 * @since 0.1.0
	 *
	 * @param string $secret The secret; '' removes it.
	 * @return void
	 * @throws HttpError 400 when the secret has control characters or is too long.
	 */
	public static function set_client_secret( string $secret ): void {
		if ( '' === $secret ) {
			delete_option( self::CLIENT_SECRET_OPTION );
			return;
		}
		if ( strlen( $secret ) > 255 || 1 !== preg_match( '/^[\x21-\x7e]+$/', $secret ) ) {
			throw new HttpError( 400, 'pulse_sync_invalid_setting', __( 'The client secret must be printable ASCII without spaces, at most 255 characters.', 'pulse-sync' ) );
		}
		if ( false === get_option( self::CLIENT_SECRET_OPTION ) ) {
			add_option( self::CLIENT_SECRET_OPTION, $secret, '', false );
			return;
		}
		update_option( self::CLIENT_SECRET_OPTION, $secret, false );
	}

	/**
	 * The OAuth portal URL: the setting, else derived from the account URL.
	 *
	 * PulseTechnologyCRM accounts use portal.thepulsespot.com, `*.dev.thepulsespot.com`
	 * accounts use their own host with `app.` replaced by `portal.`, and any other host
	 * (a self-hosted CRM or the sandbox) serves the portal itself.
	 *
	 * @since 0.1.0
	 *
	 * @return string URL without trailing slash, '' when no account URL is set.
	 */
	public static function portal_url(): string {
		$settings = self::all();
		if ( '' !== $settings['crm_portal_url'] ) {
			return untrailingslashit( $settings['crm_portal_url'] );
		}
		$account = untrailingslashit( (string) $settings['crm_account_url'] );
		$host    = (string) wp_parse_url( $account, PHP_URL_HOST );
		if ( '' === $host ) {
			return '';
		}
		if ( str_ends_with( $host, '.dev.thepulsespot.com' ) ) {
			return 'https://' . preg_replace( '/^app\./', 'portal.', $host );
		}
		if ( 'thepulsespot.com' === $host || str_ends_with( $host, '.thepulsespot.com' ) ) {
			return 'https://portal.thepulsespot.com';
		}
		return $account;
	}

	/**
	 * Validates one setting value.
	 *
	 * @since 0.1.0
	 *
	 * @param string $key   Setting name.
	 * @param mixed  $value Raw value.
	 * @return mixed Clean value.
	 * @throws HttpError 400 when the value is invalid.
	 */
	private static function sanitize_value( string $key, $value ) {
		switch ( $key ) {
			case 'bridge_url':
				return self::bridge_url( $value );
			case 'crm_account_url':
			case 'crm_portal_url':
				return self::url( $key, $value, true );
			case 'wait_budget_ms':
				return self::integer( $key, $value, 0, self::MAX_WAIT_BUDGET_MS );
			case 'max_waiting_workers':
				return self::integer( $key, $value, 0, self::MAX_WAITING_WORKERS );
			case 'always_send_welcome':
			case 'return_password_enabled':
			case 'change_roles_of_other_users':
			case 'link_users_by_email':
			case 'reconcile_enabled':
				if ( ! is_bool( $value ) ) {
					throw self::invalid( $key );
				}
				return $value;
			case 'username_format':
				if ( ! in_array( $value, self::USERNAME_FORMATS, true ) ) {
					throw self::invalid( $key );
				}
				return $value;
			case 'default_role':
				if ( '' !== $value && ! array_key_exists( (string) $value, RoleGuard::grantable_roles() ) ) {
					throw self::invalid( $key );
				}
				return (string) $value;
			case 'allowed_roles':
				return self::allowed_roles( $value );
			case 'return_password_field':
				if ( ! is_string( $value ) || ( '' !== $value && ! FieldMap::is_valid_crm_key( $value ) ) ) {
					throw self::invalid( $key );
				}
				return $value;
			case 'field_mapping':
				return self::field_mapping( $value );
			case 'reconcile_tag_ids':
				$tag_ids = ReconcileTags::sanitize( $value );
				if ( null === $tag_ids ) {
					throw self::invalid( $key );
				}
				return $tag_ids;
			default:
				return self::text( $key, $value );
		}
	}

	/**
	 * Validates the bridge URL by the one rule {@see BridgeUrl::validate_setting()} owns.
	 *
	 * @since 0.2.0
	 *
	 * @param mixed $value Raw value.
	 * @return string
	 * @throws HttpError 400 `pulse_sync_invalid_setting` with the reason.
	 */
	private static function bridge_url( $value ): string {
		$clean = is_string( $value ) ? BridgeUrl::validate_setting( $value ) : null;
		if ( ! is_string( $clean ) ) {
			throw null === $clean ? self::invalid( 'bridge_url' ) : new HttpError( 400, 'pulse_sync_invalid_setting', $clean->get_error_message() );
		}
		return $clean;
	}

	/**
	 * Validates a URL setting.
	 *
	 * @since 0.1.0
	 *
	 * @param string $key         Setting name.
	 * @param mixed  $value       Raw value.
	 * @param bool   $allow_empty Whether '' is allowed.
	 * @return string
	 * @throws HttpError 400 when not an http(s) URL.
	 */
	private static function url( string $key, $value, bool $allow_empty ): string {
		if ( ! is_string( $value ) ) {
			throw self::invalid( $key );
		}
		$value = trim( $value );
		if ( '' === $value && $allow_empty ) {
			return '';
		}
		$scheme = wp_parse_url( $value, PHP_URL_SCHEME );
		$host   = wp_parse_url( $value, PHP_URL_HOST );
		if ( ! in_array( $scheme, array( 'http', 'https' ), true ) || empty( $host ) || esc_url_raw( $value ) !== $value ) {
			throw self::invalid( $key );
		}
		return untrailingslashit( $value );
	}

	/**
	 * Validates an integer setting.
	 *
	 * @since 0.1.0
	 *
	 * @param string $key   Setting name.
	 * @param mixed  $value Raw value.
	 * @param int    $min   Smallest value.
	 * @param int    $max   Largest value.
	 * @return int
	 * @throws HttpError 400 when not an integer in range.
	 */
	private static function integer( string $key, $value, int $min, int $max ): int {
		if ( ! is_int( $value ) || $value < $min || $value > $max ) {
			throw self::invalid( $key );
		}
		return $value;
	}

	/**
	 * Validates a short single-line text setting.
	 *
	 * @since 0.1.0
	 *
	 * @param string $key   Setting name.
	 * @param mixed  $value Raw value.
	 * @return string
	 * @throws HttpError 400 when not a clean single line.
	 */
	private static function text( string $key, $value ): string {
		if ( ! is_string( $value ) || strlen( $value ) > 255 || sanitize_text_field( $value ) !== $value ) {
			throw self::invalid( $key );
		}
		return $value;
	}

	/**
	 * Validates the allowed roles: existing, non-privileged, no duplicates.
	 *
	 * @since 0.1.0
	 *
	 * @param mixed $value Raw value.
	 * @return string[]
	 * @throws HttpError 400 when not a list of grantable roles.
	 */
	private static function allowed_roles( $value ): array {
		if ( ! is_array( $value ) || ! array_is_list( $value ) ) {
			throw self::invalid( 'allowed_roles' );
		}
		$grantable = RoleGuard::grantable_roles();
		foreach ( $value as $role ) {
			if ( ! is_string( $role ) || ! array_key_exists( $role, $grantable ) ) {
				throw self::invalid( 'allowed_roles' );
			}
		}
		return array_values( array_unique( $value ) );
	}

	/**
	 * Validates the field mapping rows.
	 *
	 * @since 0.1.0
	 *
	 * @param mixed $value Raw value.
	 * @return array<int,array{wp:string,crm:string}>
	 * @throws HttpError 400 when a row is malformed or a WordPress target repeats.
	 */
	private static function field_mapping( $value ): array {
		if ( ! is_array( $value ) || ! array_is_list( $value ) || count( $value ) > self::MAX_MAPPING_ROWS ) {
			throw self::invalid( 'field_mapping' );
		}
		$rows    = array();
		$targets = array();
		foreach ( $value as $row ) {
			if ( ! is_array( $row ) || ! is_string( $row['wp'] ?? null ) || ! is_string( $row['crm'] ?? null )
				|| ! FieldMap::is_valid_target( $row['wp'] ) || ! FieldMap::is_valid_crm_key( $row['crm'] )
				|| isset( $targets[ $row['wp'] ] ) ) {
				throw self::invalid( 'field_mapping' );
			}
			$targets[ $row['wp'] ] = true;
			$rows[]                = array(
				'wp'  => $row['wp'],
				'crm' => $row['crm'],
			);
		}
		return $rows;
	}

	/**
	 * The error for an invalid value.
	 *
	 * @since 0.1.0
	 *
	 * @param string $key Setting name.
	 * @return HttpError
	 */
	private static function invalid( string $key ): HttpError {
		/* translators: %s: setting name. */
		return new HttpError( 400, 'pulse_sync_invalid_setting', sprintf( __( 'Invalid value for the setting %s.', 'pulse-sync' ), $key ) );
	}
}
