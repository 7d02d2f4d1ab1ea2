<?php
/**
 * The CRM's OAuth client secret.
 *
 * @package PulseSync
 * @since   0.3.0
 */

namespace PulseSync\Settings;

use PulseSync\HttpError;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the OAuth client secret in an option of its own, never autoloaded, so it is
 * not loaded on every request and never travels with the settings to the browser.
 *
 * @since 0.3.0
 */
class ClientSecret {

	public const OPTION = 'pulse_sync_crm_client_secret';

	/**
	 * The OAuth client secret ('' when not set).
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public static function get(): string {
		return (string) get_option( self::OPTION, '' );
	}

	/**
	 * Whether a secret is stored.
	 *
	 * @since 0.3.0
	 *
	 * @return bool
	 */
	public static function is_set(): bool {
		return '' !== self::get();
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
	public static function set( string $secret ): void {
		if ( '' === $secret ) {
			delete_option( self::OPTION );
			return;
		}
		if ( strlen( $secret ) > 255 || 1 !== preg_match( '/^[\x21-\x7e]+$/', $secret ) ) {
			throw new HttpError( 400, 'pulse_sync_invalid_setting', __( 'The client secret must be printable ASCII without spaces, at most 255 characters.', 'pulse-sync' ) );
		}
		if ( false === get_option( self::OPTION ) ) {
			add_option( self::OPTION, $secret, '', false );
			return;
		}
		update_option( self::OPTION, $secret, false );
	}
}
