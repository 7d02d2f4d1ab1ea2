<?php
/**
 * The one-time code a bridge exchanges for the bridge secret.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Bridge;

defined( 'ABSPATH' ) || exit;

/**
 * One outstanding pairing code at a time: 16 Crockford base32 characters (80 random bits), shown
 * as `XXXX-XXXX-XXXX-XXXX`, valid for 15 minutes and spent by its first successful use. Only an
 * HMAC of the code is stored, so a copy of the database cannot pair a bridge.
 *
 * @since 0.2.0
 */
class PairingCode {

	public const OPTION = 'pulse_sync_pairing_code';

	/**
	 * How long a code stays valid.
	 *
	 * @since 0.2.0
	 */
	public const LIFETIME_SECONDS = 900;

	/**
	 * Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or retyped survives.
	 *
	 * @since 0.2.0
	 */
	private const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

	private const LENGTH     = 16;
	private const GROUP_SIZE = 4;

	/**
	 * Issues a new code, replacing any outstanding one.
	 *
	 * @since 0.2.0
	 *
	 * @param int $now Unix seconds.
	 * @return array{code:string,expires_at:int} The code as shown (with dashes) and its expiry.
	 * @throws \RuntimeException When the database refuses the write.
	 */
	public static function issue( int $now ): array {
		$code       = self::encode( random_bytes( self::LENGTH * 5 / 8 ) );
		$expires_at = $now + self::LIFETIME_SECONDS;
		delete_option( self::OPTION );
		$stored = add_option(
			self::OPTION,
			array(
				'hash'       => self::hash( $code ),
				'expires_at' => $expires_at,
			),
			'',
			false
		);
		if ( ! $stored ) {
			global $wpdb;
			throw new \RuntimeException( 'Pulse Sync could not store the pairing code: ' . $wpdb->last_error );
		}
		return array(
			'code'       => implode( '-', str_split( $code, self::GROUP_SIZE ) ),
			'expires_at' => $expires_at,
		);
	}

	/**
	 * Spends the outstanding code if `$input` is it and it has not expired. Atomic: of two
	 * requests with the same code at once, only the one whose DELETE removed the row wins.
	 *
	 * @since 0.2.0
	 *
	 * @param string $input The code as typed: any case, with or without dashes.
	 * @param int    $now   Unix seconds.
	 * @return bool Whether the code was valid (it is spent now).
	 * @throws \RuntimeException When the database fails.
	 */
	public static function consume( string $input, int $now ): bool {
		global $wpdb;
		$code = self::normalize( $input );
		if ( null === $code ) {
			return false;
		}
		// Straight from the database: the object cache of this request may hold a spent code.
		$raw = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", self::OPTION ) );
		if ( null === $raw ) {
			return false;
		}
		$stored = maybe_unserialize( $raw );
		if ( ! is_array( $stored ) || ! is_string( $stored['hash'] ?? null ) || ! hash_equals( $stored['hash'], self::hash( $code ) ) ) {
			return false;
		}
		$deleted = $wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name = %s AND option_value = %s", self::OPTION, $raw ) );
		wp_cache_delete( self::OPTION, 'options' );
		if ( false === $deleted ) {
			throw new \RuntimeException( 'Pulse Sync could not spend the pairing code: ' . $wpdb->last_error );
		}
		return 1 === $deleted && (int) ( $stored['expires_at'] ?? 0 ) > $now;
	}

	/**
	 * The code in its canonical form (16 upper-case symbols), or null when it cannot be a code.
	 * Crockford's reading rules apply: case does not matter, I and L read as 1, O as 0.
	 *
	 * @since 0.2.0
	 *
	 * @param string $input The code as typed.
	 * @return string|null
	 */
	public static function normalize( string $input ): ?string {
		$code = strtr( strtoupper( (string) preg_replace( '/[\s-]+/', '', $input ) ), 'ILO', '110' );
		return 1 === preg_match( '/^[' . self::ALPHABET . ']{' . self::LENGTH . '}$/', $code ) ? $code : null;
	}

	/**
	 * Crockford base32 of random bytes (5 bits a symbol).
	 *
	 * @since 0.2.0
	 *
	 * @param string $bytes Bytes; their bit count is a multiple of 5.
	 * @return string
	 */
	private static function encode( string $bytes ): string {
		$bits = '';
		foreach ( str_split( $bytes ) as $byte ) {
			$bits .= str_pad( decbin( ord( $byte ) ), 8, '0', STR_PAD_LEFT );
		}
		$code = '';
		foreach ( str_split( $bits, 5 ) as $group ) {
			$code .= self::ALPHABET[ bindec( $group ) ];
		}
		return $code;
	}

	/**
	 * What is stored instead of the code: an HMAC keyed with the site's auth salt.
	 *
	 * @since 0.2.0
	 *
	 * @param string $code Canonical code.
	 * @return string Hex.
	 */
	private static function hash( string $code ): string {
		return hash_hmac( 'sha256', 'pulse-sync-pairing-code|' . $code, wp_salt( 'auth' ) );
	}
}
