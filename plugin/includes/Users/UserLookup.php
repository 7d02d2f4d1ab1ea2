<?php
/**
 * The plugin's own index from a user meta value to its users.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Users;

defined( 'ABSPATH' ) || exit;

/**
 * The `{base_prefix}pulse_sync_user_lookup` table: finds the user of a contact id or
 * of a creating delivery without scanning usermeta.
 *
 * WordPress indexes usermeta by key only (meta_value is LONGTEXT), so finding one
 * value reads one row per user: about 5 ms at 5,000 users, twice per user write.
 * This table holds a (key, value, user) row for each indexed usermeta row whose value
 * fits the column. Like usermeta it is global on a multisite network.
 *
 * The meta API hooks keep it in step with every write through WordPress. Its one
 * guarantee is completeness: a usermeta row it should hold is never missing, which
 * the backfill on activation and upgrade restores after writes it could not see
 * (the plugin inactive, direct SQL). A row left behind cannot answer, because find()
 * confirms each candidate in usermeta.
 *
 * @since 0.1.0
 */
class UserLookup {

	/**
	 * The meta keys the table indexes.
	 *
	 * @since 0.1.0
	 */
	public const INDEXED_KEYS = array( Upserter::CONTACT_META, Upserter::CREATED_BY_META );

	/**
	 * Longest value the table holds (characters); longer values are looked up in usermeta.
	 *
	 * @since 0.1.0
	 */
	public const MAX_VALUE_LENGTH = 191;

	/**
	 * The table name.
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public static function table(): string {
		global $wpdb;
		return $wpdb->base_prefix . 'pulse_sync_user_lookup';
	}

	/**
	 * Creates or upgrades the table.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function create_table(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$table   = self::table();
		$charset = $wpdb->get_charset_collate();
		$length  = self::MAX_VALUE_LENGTH;
		// dbDelta wants two spaces after PRIMARY KEY and one field per line.
		dbDelta(
			"CREATE TABLE {$table} (
  meta_key varchar(64) NOT NULL,
  meta_value varchar({$length}) NOT NULL,
  user_id bigint(20) unsigned NOT NULL,
  PRIMARY KEY  (meta_key,meta_value,user_id),
  KEY user_id (user_id)
) {$charset};"
		);
	}

	/**
	 * Indexes every usermeta row of the indexed keys that the table lacks. Safe to
	 * repeat: rows already there are kept.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function backfill(): void {
		self::copy_from_usermeta( 'meta_key IN (%s, %s)', self::INDEXED_KEYS[0], self::INDEXED_KEYS[1] );
	}

	/**
	 * Drops the table.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function drop_table(): void {
		global $wpdb;
		$table = self::table();
		$wpdb->query( "DROP TABLE IF EXISTS {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
	}

	/**
	 * The lowest id of a user whose meta `$key` has the value `$value`: the answer of
	 * `SELECT MIN(user_id) FROM usermeta WHERE meta_key = … AND meta_value = …`.
	 *
	 * Always read from the database rather than a cache, because another worker may
	 * have written the meta a moment ago (Upserter's named locks order those writes).
	 *
	 * @since 0.1.0
	 *
	 * @param string $key   Meta key.
	 * @param string $value Meta value, as stored.
	 * @return int|null
	 */
	public static function find( string $key, string $value ): ?int {
		global $wpdb;
		if ( ! self::is_indexed( $key ) || ! self::fits( $value ) ) {
			return self::scan_usermeta( $key, $value );
		}
		$table = self::table();
		// The join confirms the candidates in usermeta (by user, a few rows each), so a
		// row the index kept after a write it did not see cannot answer.
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		$id = $wpdb->get_var(
			$wpdb->prepare(
				"SELECT MIN(lookup.user_id) FROM {$table} lookup
				INNER JOIN {$wpdb->usermeta} meta ON meta.user_id = lookup.user_id
				WHERE lookup.meta_key = %s AND lookup.meta_value = %s AND meta.meta_key = %s AND meta.meta_value = %s",
				$key,
				$value,
				$key,
				$value
			)
		);
		if ( '' !== $wpdb->last_error ) {
			// A missing or broken table must not make every contact look new.
			return self::scan_usermeta( $key, $value );
		}
		return null === $id ? null : (int) $id;
	}

	/**
	 * `added_user_meta` callback: indexes the new row as stored.
	 *
	 * @since 0.1.0
	 *
	 * @param int    $meta_id  Meta row id.
	 * @param int    $user_id  User id.
	 * @param string $meta_key Meta key.
	 * @return void
	 */
	public static function on_added( $meta_id, $user_id, $meta_key ): void {
		if ( self::is_indexed( $meta_key ) ) {
			self::index_row( (int) $meta_id );
		}
	}

	/**
	 * `updated_user_meta` callback: indexes the new value, then forgets the old one
	 * (added first, so the user is never missing from the table in between).
	 *
	 * @since 0.1.0
	 *
	 * @param int    $meta_id  Meta row id.
	 * @param int    $user_id  User id.
	 * @param string $meta_key Meta key.
	 * @return void
	 */
	public static function on_updated( $meta_id, $user_id, $meta_key ): void {
		if ( self::is_indexed( $meta_key ) ) {
			self::index_row( (int) $meta_id );
			self::forget_stale( (int) $user_id, $meta_key );
		}
	}

	/**
	 * `deleted_user_meta` callback, also fired for each row wp_delete_user() removes.
	 *
	 * @since 0.1.0
	 *
	 * @param int[]|int $meta_ids   Deleted meta row ids.
	 * @param int       $user_id    User id; 0 when the value was deleted for every user.
	 * @param string    $meta_key   Meta key.
	 * @param mixed     $meta_value Deleted value; '' for every value.
	 * @return void
	 */
	public static function on_deleted( $meta_ids, $user_id, $meta_key, $meta_value ): void {
		if ( ! self::is_indexed( $meta_key ) ) {
			return;
		}
		if ( (int) $user_id > 0 ) {
			self::forget_stale( (int) $user_id, $meta_key );
			return;
		}
		// delete_metadata( 'user', 0, $key, $value, true ) names no user: mirror its DELETE.
		global $wpdb;
		$table = self::table();
		$where = array( 'meta_key' => $meta_key );
		if ( '' !== $meta_value && null !== $meta_value && false !== $meta_value ) {
			$where['meta_value'] = maybe_serialize( $meta_value );
		}
		$wpdb->delete( $table, $where );
	}

	/**
	 * Whether the table indexes a meta key.
	 *
	 * @since 0.1.0
	 *
	 * @param mixed $meta_key Meta key.
	 * @return bool
	 */
	private static function is_indexed( $meta_key ): bool {
		return in_array( $meta_key, self::INDEXED_KEYS, true );
	}

	/**
	 * Whether a value fits the table's column.
	 *
	 * @since 0.1.0
	 *
	 * @param string $value Meta value.
	 * @return bool
	 */
	private static function fits( string $value ): bool {
		return mb_strlen( $value, 'UTF-8' ) <= self::MAX_VALUE_LENGTH;
	}

	/**
	 * Copies one usermeta row into the table, as stored, if its value fits.
	 *
	 * @since 0.1.0
	 *
	 * @param int $meta_id Meta row id.
	 * @return void
	 */
	private static function index_row( int $meta_id ): void {
		self::copy_from_usermeta( 'umeta_id = %d', $meta_id );
	}

	/**
	 * Copies the usermeta rows that match a condition and whose values fit, as stored;
	 * rows already in the table are kept.
	 *
	 * @since 0.1.0
	 *
	 * @param string     $condition SQL condition on usermeta with placeholders.
	 * @param int|string ...$args   Its values.
	 * @return void
	 */
	private static function copy_from_usermeta( string $condition, ...$args ): void {
		global $wpdb;
		$table = self::table();
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- table name is ours; $condition holds the placeholders.
		$wpdb->query(
			$wpdb->prepare(
				"INSERT IGNORE INTO {$table} (meta_key, meta_value, user_id)
				SELECT meta_key, meta_value, user_id FROM {$wpdb->usermeta}
				WHERE {$condition} AND CHAR_LENGTH(meta_value) <= %d",
				...array_merge( $args, array( self::MAX_VALUE_LENGTH ) )
			)
		);
		// phpcs:enable
	}

	/**
	 * Removes a user's rows for a key whose value the user no longer has. Values are
	 * compared as literals, never column to column, so the table's collation need not
	 * equal usermeta's.
	 *
	 * @since 0.1.0
	 *
	 * @param int    $user_id  User id.
	 * @param string $meta_key Meta key.
	 * @return void
	 */
	private static function forget_stale( int $user_id, string $meta_key ): void {
		global $wpdb;
		$table   = self::table();
		$current = $wpdb->get_col( $wpdb->prepare( "SELECT meta_value FROM {$wpdb->usermeta} WHERE user_id = %d AND meta_key = %s", $user_id, $meta_key ) );
		$sql     = "DELETE FROM {$table} WHERE user_id = %d AND meta_key = %s";
		if ( array() !== $current ) {
			$sql .= ' AND meta_value NOT IN (' . implode( ', ', array_fill( 0, count( $current ), '%s' ) ) . ')';
		}
		$wpdb->query( $wpdb->prepare( $sql, array_merge( array( $user_id, $meta_key ), $current ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only; the table name is ours.
	}

	/**
	 * The usermeta scan the table replaces, for values it cannot hold.
	 *
	 * MIN() rather than ORDER BY user_id LIMIT 1: with the latter MariaDB walks the user_id
	 * index through the whole usermeta table when no row matches (every new contact).
	 *
	 * @since 0.1.0
	 *
	 * @param string $key   Meta key.
	 * @param string $value Meta value.
	 * @return int|null
	 */
	private static function scan_usermeta( string $key, string $value ): ?int {
		global $wpdb;
		$id = $wpdb->get_var( $wpdb->prepare( "SELECT MIN(user_id) FROM {$wpdb->usermeta} WHERE meta_key = %s AND meta_value = %s", $key, $value ) );
		return null === $id ? null : (int) $id;
	}
}
