<?php
/**
 * A database statement that failed.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Support;

defined( 'ABSPATH' ) || exit;

/**
 * Raised when `$wpdb` reports an error, so that a failed statement is never read as
 * "no rows" or "nothing to do". The message is `$wpdb->last_error`, which names the
 * table and the problem and never a key (statements here bind only hashes and numbers).
 *
 * @since 0.2.0
 */
class DatabaseError extends \RuntimeException {

	/**
	 * Throws when the last `$wpdb` statement failed.
	 *
	 * @since 0.2.0
	 *
	 * @param mixed  $result  What the `$wpdb` call returned (false or null on failure).
	 * @param string $context What the statement was for, e.g. `throttle count`.
	 * @return void
	 * @throws self When the statement failed.
	 */
	public static function check( $result, string $context ): void {
		global $wpdb;
		if ( false === $result || '' !== (string) $wpdb->last_error ) {
			throw new self( sprintf( 'Pulse Sync: %s failed: %s', $context, '' !== (string) $wpdb->last_error ? $wpdb->last_error : 'no result' ) );
		}
	}
}
