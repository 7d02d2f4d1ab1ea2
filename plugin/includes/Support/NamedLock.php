<?php
/**
 * MariaDB/MySQL named locks (GET_LOCK / RELEASE_LOCK).
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Support;

defined( 'ABSPATH' ) || exit;

/**
 * Named locks shared by every PHP worker that talks to the same database server.
 *
 * Named locks belong to the database connection, so they are released by the
 * server even when PHP dies mid-request: no stale lock can outlive a worker.
 *
 * @since 0.1.0
 */
class NamedLock {

	/**
	 * MariaDB and MySQL refuse lock names longer than 64 characters.
	 *
	 * @since 0.1.0
	 */
	private const MAX_NAME_LENGTH = 64;

	/**
	 * Builds a server-wide lock name scoped to this site's database and table prefix,
	 * so two sites on one database server never share a lock.
	 *
	 * @since 0.1.0
	 *
	 * @param string $name Lock name inside this site, e.g. `contact:7`.
	 * @return string
	 */
	public static function scoped_name( string $name ): string {
		global $wpdb;
		$full = 'pulse_sync:' . DB_NAME . ':' . $wpdb->prefix . ':' . $name;
		if ( strlen( $full ) <= self::MAX_NAME_LENGTH ) {
			return $full;
		}
		return 'pulse_sync:' . md5( $full );
	}

	/**
	 * Tries to take a lock.
	 *
	 * @since 0.1.0
	 *
	 * @param string $name            Lock name inside this site.
	 * @param int    $timeout_seconds How long to wait for it; 0 = do not wait.
	 * @return bool True when this connection now holds the lock.
	 */
	public static function acquire( string $name, int $timeout_seconds ): bool {
		global $wpdb;
		$result = $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, %d)', self::scoped_name( $name ), max( 0, $timeout_seconds ) ) );
		return '1' === (string) $result;
	}

	/**
	 * Releases a lock held by this connection.
	 *
	 * @since 0.1.0
	 *
	 * @param string $name Lock name inside this site.
	 * @return void
	 */
	public static function release( string $name ): void {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', self::scoped_name( $name ) ) );
	}
}
