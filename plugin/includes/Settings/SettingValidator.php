<?php
/**
 * The rules a settings value must meet.
 *
 * @package PulseSync
 * @since   0.3.0
 */

namespace PulseSync\Settings;

use PulseSync\Bridge\BridgeUrl;
use PulseSync\HttpError;
use PulseSync\Imports\ReconcileTags;
use PulseSync\Users\FieldMap;
use PulseSync\Users\RoleGuard;

defined( 'ABSPATH' ) || exit;

/**
 * One owner of the settings' rules: the JSON schema WordPress checks on the panel's route and the
 * checks {@see \PulseSync\Settings::update()} runs on every change, whoever makes it.
 *
 * @since 0.3.0
 */
class SettingValidator {

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
	 * The JSON schema of the settings, for the panel's `/settings` route: WordPress checks each
	 * value's type, range and enum against it before the route runs; value() then checks what a
	 * schema cannot say (roles that exist, mapping targets, URL rules).
	 *
	 * @since 0.3.0
	 *
	 * @return array<string,mixed>
	 */
	public static function schema(): array {
		$text    = array( 'type' => 'string' );
		$boolean = array( 'type' => 'boolean' );
		return array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'pulse-sync-settings',
			'type'       => 'object',
			'properties' => array(
				'bridge_url'                  => $text,
				'wait_budget_ms'              => array(
					'type'    => 'integer',
					'minimum' => 0,
					'maximum' => self::MAX_WAIT_BUDGET_MS,
				),
				'max_waiting_workers'         => array(
					'type'    => 'integer',
					'minimum' => 0,
					'maximum' => self::MAX_WAITING_WORKERS,
				),
				'default_role'                => $text,
				'allowed_roles'               => array(
					'type'  => 'array',
					'items' => $text,
				),
				'change_roles_of_other_users' => $boolean,
				'link_users_by_email'         => $boolean,
				'username_format'             => array(
					'type' => 'string',
					'enum' => self::USERNAME_FORMATS,
				),
				'always_send_welcome'         => $boolean,
				'return_password_enabled'     => $boolean,
				'return_password_field'       => $text,
				'field_mapping'               => array(
					'type'     => 'array',
					'maxItems' => self::MAX_MAPPING_ROWS,
					'items'    => array(
						'type'       => 'object',
						'properties' => array(
							'wp'  => $text,
							'crm' => $text,
						),
						'required'   => array( 'wp', 'crm' ),
					),
				),
				'reconcile_enabled'           => $boolean,
				'reconcile_tag_ids'           => array(
					'type'     => 'array',
					'maxItems' => ReconcileTags::MAX_TAGS,
					'items'    => array(
						'type'    => 'integer',
						'minimum' => 1,
					),
				),
				'crm_account_url'             => $text,
				'crm_portal_url'              => $text,
				'crm_client_id'               => $text,
				// Write-only: answers carry crm_client_secret_set instead.
				'crm_client_secret'           => $text,
				'crm_client_secret_set'       => array(
					'type'     => 'boolean',
					'readonly' => true,
				),
			),
		);
	}

	/**
	 * Validates one setting value.
	 *
	 * @since 0.1.0 (in Settings)
	 *
	 * @param string $key   Setting name.
	 * @param mixed  $value Raw value.
	 * @return mixed Clean value.
	 * @throws HttpError 400 when the value is invalid.
	 */
	public static function value( string $key, $value ) {
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
