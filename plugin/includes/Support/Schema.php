<?php
/**
 * Creates and drops the plugin's own tables.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Support;

defined( 'ABSPATH' ) || exit;

/**
 * One place for the dbDelta ritual, so each table class states only its columns.
 *
 * @since 0.2.0
 */
class Schema {

	/**
	 * Creates a table or brings it to the given columns and keys (dbDelta adds what is missing).
	 *
	 * @since 0.2.0
	 *
	 * @param string $table       Full table name (prefix included).
	 * @param string $definitions Column and key lines as dbDelta wants them: one per line,
	 *                            two spaces after PRIMARY KEY.
	 * @return void
	 */
	public static function create_table( string $table, string $definitions ): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		dbDelta( "CREATE TABLE {$table} (\n{$definitions}\n) {$wpdb->get_charset_collate()};" );
	}

	/**
	 * Drops a table if it exists.
	 *
	 * @since 0.2.0
	 *
	 * @param string $table Full table name (prefix included).
	 * @return void
	 */
	public static function drop_table( string $table ): void {
		global $wpdb;
		$wpdb->query( "DROP TABLE IF EXISTS {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
	}
}
