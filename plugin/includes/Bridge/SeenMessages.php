<?php
/**
 * The `webhook-id`s of the bridge's requests, kept while their timestamp is valid.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Bridge;

defined( 'ABSPATH' ) || exit;

/**
 * The `{prefix}pulse_sync_seen_messages` table: one row per accepted `webhook-id` until its
 * timestamp leaves the tolerance window, so a signed request seen on the way cannot be sent
 * again. Shared by every PHP worker: the primary key makes claim() one atomic INSERT IGNORE
 * (two copies arriving at once: one inserts, the other finds the row). Rows are purged by the
 * spool's one-minute cron event.
 *
 * An option or transient per id would autoload or cost a read and a write; the object cache is
 * not shared between workers unless a persistent one is installed, and can evict. One insert on
 * the primary key is the whole cost (docs/architecture.md, "Signing", gives the measurement).
 *
 * @since 0.2.0
 */
class SeenMessages {

	/**
	 * The table name.
	 *
	 * @since 0.2.0
	 *
	 * @return string
	 */
	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'pulse_sync_seen_messages';
	}

	/**
	 * Creates or upgrades the table.
	 *
	 * @since 0.2.0
	 *
	 * @return void
	 */
	public static function create_table(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$table   = self::table();
		$charset = $wpdb->get_charset_collate();
		// Ids are [A-Za-z0-9_-]: an ASCII binary column compares them exactly and keeps the key small.
		dbDelta(
			"CREATE TABLE {$table} (
  message_id varbinary(64) NOT NULL,
  expires_at int(10) unsigned NOT NULL,
  PRIMARY KEY  (message_id),
  KEY expires_at (expires_at)
) {$charset};"
		);
	}

	/**
	 * Records an accepted id; false when it was recorded already (a replay).
	 *
	 * @since 0.2.0
	 *
	 * @param string $message_id The verified `webhook-id`.
	 * @param int    $timestamp  Its verified `webhook-timestamp`.
	 * @return bool
	 * @throws \RuntimeException When the database refused the write.
	 */
	public static function claim( string $message_id, int $timestamp ): bool {
		global $wpdb;
		$table = self::table();
		// The %i placeholder needs WordPress 6.2; the table name is ours, not input.
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.DirectDatabaseQuery
		$inserted = $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$table} (message_id, expires_at) VALUES (%s, %d)", $message_id, $timestamp + Signature::TOLERANCE_IN_SECONDS + 1 ) );
		if ( false === $inserted ) {
			throw new \RuntimeException( 'Could not record the webhook-id: ' . esc_html( $wpdb->last_error ) );
		}
		return 1 === $inserted;
	}

	/**
	 * Removes the ids whose timestamp would be refused anyway (WP-Cron, every minute).
	 *
	 * @since 0.2.0
	 *
	 * @param int|null $now Unix seconds (default now).
	 * @return void
	 */
	public static function purge( ?int $now = null ): void {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.DirectDatabaseQuery
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE expires_at < %d", $now ?? time() ) );
	}

	/**
	 * Drops the table (uninstall).
	 *
	 * @since 0.2.0
	 *
	 * @return void
	 */
	public static function drop_table(): void {
		global $wpdb;
		$table = self::table();
		$wpdb->query( "DROP TABLE IF EXISTS {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
	}
}
