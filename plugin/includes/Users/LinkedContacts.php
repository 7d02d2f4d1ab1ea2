<?php
/**
 * Which contacts have a user on this site, read from the lookup index.
 *
 * @package PulseSync
 * @since   0.3.0
 */

namespace PulseSync\Users;

use PulseSync\Support\DatabaseError;

defined( 'ABSPATH' ) || exit;

/**
 * The contact ids in `{base_prefix}pulse_sync_user_lookup` (UserLookup.php), for the bridge's
 * resync (every linked user, keyset by contact id) and reconciliation (which of these contacts
 * are linked). Values are compared as numbers by length, then text: the index stores them as
 * text, and a canonical integer's length orders it before its digits do, so the primary key
 * (meta_key, meta_value, user_id) is used and no CAST scans the table.
 *
 * @since 0.3.0
 */
class LinkedContacts {

	/**
	 * Most contact ids in one page or one lookup.
	 *
	 * @since 0.3.0
	 */
	public const MAX_PAGE = 500;

	/**
	 * Linked contact ids above `$after`, ascending, and how many are linked in all.
	 *
	 * @since 0.3.0
	 *
	 * @param int $after Contact ids above this one (0 = from the first).
	 * @param int $limit At most this many (1 to MAX_PAGE).
	 * @return array{contact_ids:int[],total:int}
	 * @throws DatabaseError When a query fails.
	 */
	public static function page( int $after, int $limit ): array {
		global $wpdb;
		$table = UserLookup::table();
		$from  = (string) $after;
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		$ids = $wpdb->get_col(
			$wpdb->prepare(
				"SELECT DISTINCT meta_value FROM {$table}
				WHERE meta_key = %s AND meta_value REGEXP '^[1-9][0-9]*$'
					AND (LENGTH(meta_value) > %d OR (LENGTH(meta_value) = %d AND meta_value > %s))
				ORDER BY LENGTH(meta_value), meta_value LIMIT %d",
				Upserter::CONTACT_META,
				strlen( $from ),
				strlen( $from ),
				$from,
				$limit
			)
		);
		DatabaseError::check( $ids, 'linked contacts page' );
		$total = $wpdb->get_var(
			$wpdb->prepare(
				"SELECT COUNT(DISTINCT meta_value) FROM {$table} WHERE meta_key = %s AND meta_value REGEXP '^[1-9][0-9]*$'",
				Upserter::CONTACT_META
			)
		);
		// phpcs:enable WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		DatabaseError::check( $total, 'linked contacts count' );
		return array(
			'contact_ids' => array_map( 'intval', $ids ),
			'total'       => (int) $total,
		);
	}

	/**
	 * The contact ids among `$contact_ids` that have a user.
	 *
	 * @since 0.3.0
	 *
	 * @param int[] $contact_ids Contact ids (at most MAX_PAGE).
	 * @return int[]
	 * @throws DatabaseError When the query fails.
	 */
	public static function linked_among( array $contact_ids ): array {
		global $wpdb;
		if ( array() === $contact_ids ) {
			return array();
		}
		$table        = UserLookup::table();
		$placeholders = implode( ',', array_fill( 0, count( $contact_ids ), '%s' ) );
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- table name is ours; one placeholder per id.
		$ids = $wpdb->get_col(
			$wpdb->prepare(
				"SELECT DISTINCT meta_value FROM {$table} WHERE meta_key = %s AND meta_value IN ({$placeholders})",
				Upserter::CONTACT_META,
				...array_map( 'strval', $contact_ids )
			)
		);
		// phpcs:enable
		DatabaseError::check( $ids, 'linked contacts lookup' );
		return array_map( 'intval', $ids );
	}
}
