<?php
/**
 * The bridge secret and its rotation.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Bridge;

defined( 'ABSPATH' ) || exit;

/**
 * The shared `whsec_…` secret. Pairing a bridge rotates it: the new secret becomes current and the
 * previous one stays valid for a short overlap, so a delivery signed (or checked) with the old
 * secret while the bridge picks up the new one is not refused.
 *
 * @since 0.1.0
 */
class Pairing {

	public const SECRET_OPTION          = 'pulse_sync_bridge_secret';
	public const PREVIOUS_SECRET_OPTION = 'pulse_sync_bridge_previous_secret';

	/**
	 * How long the previous secret stays valid after a rotation (contract "Pairing exchange").
	 *
	 * @since 0.2.0
	 */
	public const OVERLAP_SECONDS = 600;

	/**
	 * A new Standard Webhooks secret: `whsec_` + base64 of 32 random bytes.
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public static function generate_secret(): string {
		return 'whsec_' . base64_encode( random_bytes( 32 ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the Standard Webhooks secret format.
	}

	/**
	 * The current shared secret ('' before activation).
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public static function secret(): string {
		return (string) get_option( self::SECRET_OPTION, '' );
	}

	/**
	 * Every secret a signature may use right now: the current one first, then the previous one
	 * while its overlap lasts.
	 *
	 * @since 0.2.0
	 *
	 * @param int|null $now Unix seconds (default: now).
	 * @return string[]
	 */
	public static function active_secrets( ?int $now = null ): array {
		$now     = $now ?? time();
		$secrets = array();
		$current = self::secret();
		if ( '' !== $current ) {
			$secrets[] = $current;
		}
		$previous = self::previous( $now );
		if ( null !== $previous && ! in_array( $previous['secret'], $secrets, true ) ) {
			$secrets[] = $previous['secret'];
		}
		return $secrets;
	}

	/**
	 * Until when the previous secret is accepted (null when there is none, or its overlap is over).
	 *
	 * @since 0.2.0
	 *
	 * @param int|null $now Unix seconds (default: now).
	 * @return int|null Unix seconds.
	 */
	public static function previous_valid_until( ?int $now = null ): ?int {
		$previous = self::previous( $now ?? time() );
		return null === $previous ? null : $previous['until'];
	}

	/**
	 * Makes a new secret current and keeps the one it replaces valid for the overlap.
	 *
	 * @since 0.2.0
	 *
	 * @param int $now Unix seconds.
	 * @return array{secret:string,previous_valid_until:int|null} The new secret and the end of the overlap.
	 * @throws \RuntimeException When the database refuses the write.
	 */
	public static function rotate( int $now ): array {
		$old    = self::secret();
		$secret = self::generate_secret();
		$until  = null;
		if ( '' !== $old ) {
			$until = $now + self::OVERLAP_SECONDS;
			self::store( self::PREVIOUS_SECRET_OPTION, array( 'secret' => $old, 'until' => $until ) );
		} else {
			delete_option( self::PREVIOUS_SECRET_OPTION );
		}
		self::store( self::SECRET_OPTION, $secret );
		return array(
			'secret'               => $secret,
			'previous_valid_until' => $until,
		);
	}

	/**
	 * The previous secret while its overlap lasts.
	 *
	 * @since 0.2.0
	 *
	 * @param int $now Unix seconds.
	 * @return array{secret:string,until:int}|null
	 */
	private static function previous( int $now ): ?array {
		$stored = get_option( self::PREVIOUS_SECRET_OPTION, null );
		if ( ! is_array( $stored ) || ! is_string( $stored['secret'] ?? null ) || '' === $stored['secret'] ) {
			return null;
		}
		$until = (int) ( $stored['until'] ?? 0 );
		return $until > $now ? array( 'secret' => $stored['secret'], 'until' => $until ) : null;
	}

	/**
	 * Writes a secret option, never autoloaded (it is needed on signed requests only).
	 *
	 * @since 0.2.0
	 *
	 * @param string $option Option name.
	 * @param mixed  $value  Value.
	 * @return void
	 * @throws \RuntimeException When the database refuses the write.
	 */
	private static function store( string $option, $value ): void {
		if ( get_option( $option, null ) === $value ) {
			return;
		}
		$stored = false === get_option( $option ) ? add_option( $option, $value, '', false ) : update_option( $option, $value, false );
		if ( ! $stored ) {
			// Not $wpdb->last_error: a database error may quote the query, and the query holds the secret.
			throw new \RuntimeException( 'Pulse Sync could not store the bridge secret.' );
		}
	}
}
