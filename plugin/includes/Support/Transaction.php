<?php
/**
 * A database transaction around a few writes that must land together.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Support;

defined( 'ABSPATH' ) || exit;

/**
 * All or nothing: MariaDB rolls an open transaction back when the connection drops, so writes
 * made in here are never seen half done, not even when PHP dies between two of them.
 *
 * READ COMMITTED, not the server's REPEATABLE READ: callers hold named locks and then check
 * what other workers wrote under the same lock (a username taken a moment ago); a snapshot
 * taken before that worker committed would hide its row.
 *
 * @since 0.1.0
 */
class Transaction {

	/**
	 * Runs the callback inside a transaction; commits when it returns, rolls back when it throws.
	 *
	 * @since 0.1.0
	 *
	 * @template T
	 * @param callable():T $writes The writes.
	 * @return T What the callback returned.
	 * @throws \Throwable Whatever the callback threw, after the rollback.
	 */
	public static function run( callable $writes ) {
		global $wpdb;
		$wpdb->query( 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED' );
		$wpdb->query( 'START TRANSACTION' );
		try {
			$result = $writes();
		} catch ( \Throwable $e ) {
			$wpdb->query( 'ROLLBACK' );
			throw $e;
		}
		$wpdb->query( 'COMMIT' );
		return $result;
	}
}
