<?php
/**
 * Durable storage for deliveries while the bridge is away.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Webhook;

use PulseSync\Bridge\BridgeUnavailable;
use PulseSync\Bridge\Client;
use PulseSync\Support\NamedLock;

defined( 'ABSPATH' ) || exit;

/**
 * The `{prefix}pulse_sync_spool` table and its hand-over to the bridge.
 *
 * A delivery answered 2xx must survive anything, so when the bridge cannot
 * take it the delivery is written here first and handed over later, by WP-Cron
 * and after later webhooks. The bridge stores a delivery once per id, so a
 * delivery handed over twice (two flushes racing, or a crash after the hand-over
 * but before the delete) is harmless.
 *
 * @since 0.1.0
 */
class Spool {

	public const CRON_HOOK     = 'pulse_sync_flush_spool';
	public const CRON_SCHEDULE = 'pulse_sync_every_minute';

	private const FLUSH_LOCK = 'spool_flush';

	/**
	 * A `next_attempt_at` bound that every row meets (DATETIME's own maximum).
	 */
	private const END_OF_TIME = '9999-12-31 23:59:59';

	/**
	 * The table name.
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'pulse_sync_spool';
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
		// dbDelta wants two spaces after PRIMARY KEY and one field per line.
		dbDelta(
			"CREATE TABLE {$table} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  delivery_id varchar(64) NOT NULL,
  payload longtext NOT NULL,
  created_at datetime NOT NULL,
  attempts int(10) unsigned NOT NULL DEFAULT 0,
  next_attempt_at datetime NOT NULL,
  last_error varchar(255) NOT NULL DEFAULT '',
  PRIMARY KEY  (id),
  UNIQUE KEY delivery_id (delivery_id),
  KEY next_attempt_at (next_attempt_at)
) {$charset};"
		);
	}

	/**
	 * Adds the one-minute cron schedule.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,array{interval:int,display:string}> $schedules Schedules.
	 * @return array<string,array{interval:int,display:string}>
	 */
	public static function add_schedule( array $schedules ): array {
		$schedules[ self::CRON_SCHEDULE ] = array(
			'interval' => MINUTE_IN_SECONDS,
			'display'  => __( 'Every minute (Pulse Sync spool)', 'pulse-sync' ),
		);
		return $schedules;
	}

	/**
	 * Schedules the hand-over event if it is not scheduled.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function schedule(): void {
		add_filter( 'cron_schedules', array( self::class, 'add_schedule' ) ); // phpcs:ignore WordPress.WP.CronInterval -- one minute is the point: a spooled delivery should not wait long.
		if ( false === wp_next_scheduled( self::CRON_HOOK ) ) {
			wp_schedule_event( time() + MINUTE_IN_SECONDS, self::CRON_SCHEDULE, self::CRON_HOOK );
		}
	}

	/**
	 * Removes the hand-over event.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::CRON_HOOK );
	}

	/**
	 * Stores a delivery; storing the same delivery id again changes nothing.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $delivery Delivery as forwarded to the bridge.
	 * @return bool False when the database refused the write.
	 */
	public static function store( array $delivery ): bool {
		global $wpdb;
		$now    = gmdate( 'Y-m-d H:i:s' );
		$table  = self::table();
		// The %i placeholder needs WordPress 6.2; the table name is ours, not input.
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$result = $wpdb->query(
			$wpdb->prepare(
				"INSERT IGNORE INTO {$table} (delivery_id, payload, created_at, next_attempt_at) VALUES (%s, %s, %s, %s)",
				(string) $delivery['id'],
				(string) wp_json_encode( $delivery ),
				$now,
				$now
			)
		);
		return false !== $result;
	}

	/**
	 * Number of deliveries waiting.
	 *
	 * @since 0.1.0
	 *
	 * @return int
	 */
	public static function count(): int {
		global $wpdb;
		$table = self::table();
		return (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
	}

	/**
	 * Hands due deliveries to the bridge, oldest first, and deletes each one the
	 * bridge accepted. Stops at the first failure: the bridge is still away.
	 * Only one flush runs at a time on the whole site.
	 *
	 * @since 0.1.0
	 *
	 * @param Client $client      Bridge client.
	 * @param int    $limit       Most deliveries to hand over in this call.
	 * @param bool   $bridge_back The bridge has just answered: every spooled delivery is due,
	 *                            whatever back-off its earlier failed hand-overs earned.
	 * @return int Number handed over.
	 */
	public static function flush( Client $client, int $limit, bool $bridge_back = false ): int {
		global $wpdb;
		if ( ! NamedLock::acquire( self::FLUSH_LOCK, 0 ) ) {
			return 0;
		}
		$handed_over = 0;
		$table       = self::table();
		try {
			// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
			$rows = $wpdb->get_results(
				$wpdb->prepare(
					"SELECT id, payload, attempts FROM {$table} WHERE next_attempt_at <= %s ORDER BY id ASC LIMIT %d",
					$bridge_back ? self::END_OF_TIME : gmdate( 'Y-m-d H:i:s' ),
					$limit
				),
				ARRAY_A
			);
			foreach ( (array) $rows as $row ) {
				if ( ! self::hand_over( $client, $row ) ) {
					break;
				}
				++$handed_over;
			}
		} finally {
			NamedLock::release( self::FLUSH_LOCK );
		}
		return $handed_over;
	}

	/**
	 * Cron callback.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function flush_from_cron(): void {
		/**
		 * Filters how many spooled deliveries one cron run hands to the bridge.
		 *
		 * @since 0.1.0
		 *
		 * @param int $limit Default 500.
		 */
		self::flush( Client::from_settings(), (int) apply_filters( 'pulse_sync_spool_cron_batch', 500 ) );
	}

	/**
	 * Hands one row over.
	 *
	 * @since 0.1.0
	 *
	 * @param Client                $client Bridge client.
	 * @param array<string,mixed>   $row    Spool row.
	 * @return bool Whether the bridge accepted it.
	 */
	private static function hand_over( Client $client, array $row ): bool {
		global $wpdb;
		$delivery = json_decode( (string) $row['payload'], true );
		if ( ! is_array( $delivery ) ) {
			// Written by this class with wp_json_encode, so this cannot be anything but corruption.
			$wpdb->delete( self::table(), array( 'id' => (int) $row['id'] ), array( '%d' ) );
			return true;
		}
		// The CRM was answered long ago: nobody waits for this one.
		$delivery['wait_ms'] = 0;
		try {
			$response = $client->forward_delivery( $delivery, Client::default_timeout() );
			$error    = $response->is_success() ? '' : sprintf( 'HTTP %d', $response->status );
		} catch ( BridgeUnavailable $e ) {
			$error = $e->getMessage();
		}
		if ( '' === $error ) {
			$wpdb->delete( self::table(), array( 'id' => (int) $row['id'] ), array( '%d' ) );
			return true;
		}
		$attempts = (int) $row['attempts'] + 1;
		$wpdb->update(
			self::table(),
			array(
				'attempts'        => $attempts,
				'next_attempt_at' => gmdate( 'Y-m-d H:i:s', time() + self::backoff_seconds( $attempts ) ),
				'last_error'      => substr( $error, 0, 255 ),
			),
			array( 'id' => (int) $row['id'] ),
			array( '%d', '%s', '%s' ),
			array( '%d' )
		);
		return false;
	}

	/**
	 * Delay before the next hand-over attempt of one delivery: doubles up to 15 minutes,
	 * so a bridge that refuses one delivery does not stall the others forever.
	 *
	 * @since 0.1.0
	 *
	 * @param int $attempts Failed attempts so far.
	 * @return int Seconds.
	 */
	private static function backoff_seconds( int $attempts ): int {
		return min( 15 * MINUTE_IN_SECONDS, 2 ** min( 10, $attempts ) );
	}
}
