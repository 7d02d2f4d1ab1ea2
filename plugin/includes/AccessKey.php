<?php
/**
 * The webhook access key.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync;

defined( 'ABSPATH' ) || exit;

/**
 * Generates, stores and checks the key CRM webhooks must carry.
 *
 * @since 0.1.0
 */
class AccessKey {

	public const OPTION = 'pulse_sync_access_key';

	/**
	 * Bits of randomness below which a key is reported as weak (the reference
	 * integration used 8 hex characters, i.e. 32 bits).
	 *
	 * @since 0.1.0
	 */
	private const STRONG_BITS = 128;

	/**
	 * Pasted keys must look like keys: URL-safe, no spaces, 8 to 128 characters.
	 *
	 * @since 0.1.0
	 */
	private const PATTERN = '/^[A-Za-z0-9_\-]{8,128}$/';

	/**
	 * A fresh key: 32 hex characters from 16 random bytes (128 bits).
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public static function generate(): string {
		return bin2hex( random_bytes( 16 ) );
	}

	/**
	 * The stored key ('' when none).
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public static function get(): string {
		return (string) get_option( self::OPTION, '' );
	}

	/**
	 * Stores a key.
	 *
	 * @since 0.1.0
	 *
	 * @param string $key The key.
	 * @return void
	 * @throws HttpError 400 when the key is not 8-128 URL-safe characters.
	 */
	public static function set( string $key ): void {
		if ( 1 !== preg_match( self::PATTERN, $key ) ) {
			throw new HttpError( 400, 'pulse_sync_invalid_access_key', __( 'An access key must be 8 to 128 letters, digits, dashes or underscores.', 'pulse-sync' ) );
		}
		update_option( self::OPTION, $key );
	}

	/**
	 * Replaces the key with a new random one.
	 *
	 * @since 0.1.0
	 *
	 * @return string The new key.
	 */
	public static function regenerate(): string {
		$key = self::generate();
		update_option( self::OPTION, $key );
		return $key;
	}

	/**
	 * Whether a candidate equals the stored key, in constant time.
	 *
	 * @since 0.1.0
	 *
	 * @param string $candidate The key a request carried.
	 * @return bool
	 */
	public static function matches( string $candidate ): bool {
		$key = self::get();
		return '' !== $key && hash_equals( $key, $candidate );
	}

	/**
	 * Whether a key has fewer than 128 bits, estimated from its length and alphabet.
	 *
	 * @since 0.1.0
	 *
	 * @param string $key The key.
	 * @return bool
	 */
	public static function is_weak( string $key ): bool {
		if ( 1 === preg_match( '/^[0-9a-f]+$/i', $key ) ) {
			$alphabet = 16;
		} elseif ( 1 === preg_match( '/^[0-9a-z]+$/i', $key ) ) {
			$alphabet = ctype_lower( preg_replace( '/\d/', '', $key ) ) || ctype_upper( preg_replace( '/\d/', '', $key ) ) ? 36 : 62;
		} else {
			$alphabet = 64;
		}
		return strlen( $key ) * log( $alphabet, 2 ) < self::STRONG_BITS;
	}
}
