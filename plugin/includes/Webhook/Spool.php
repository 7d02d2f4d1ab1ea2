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
use PulseSync\Bridge\Response;
use PulseSync\Support\DatabaseError;
use PulseSync\Support\NamedLock;
use PulseSync\Support\Schema;

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
 * Limits: the table holds at most max_rows() deliveries (50,000 by default);
 * when it is full a webhook the bridge cannot take is answered 503, so the CRM
 * reports it instead of the site's disk filling up. A delivery the bridge refuses
 * for what it is (400, 409, 413, 415 or 422: it will never take it as it is)
 * does not hold up the ones after it: it is marked failed (`failed_at`, the
 * bridge's reason in `last_error`), stays in the table, is shown on the Status
 * screen and can be replayed or discarded there (Rest/SpoolController.php). Any
 * other failure (no answer, 401 bad pairing, 404, 429, 5xx) means the bridge is
 * away or misconfigured: the flush stops and the delivery backs off.
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
	 * Bridge answers that refuse the delivery itself rather than say the bridge is away.
	 *
	 * @since 0.2.0
	 */
	private const REFUSED_STATUSES = array( 400, 409, 413, 415, 422 );

	/**
	 * Outcomes of one hand-over.
	 *
	 * @since 0.2.0
	 */
	private const HANDED_OVER = 'handed_over';
	private const REFUSED     = 'refused';
	private const AWAY        = 'away';

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
		Schema::create_table(
			self::table(),
			"  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  delivery_id varchar(64) NOT NULL,
  payload longtext NOT NULL,
  created_at datetime NOT NULL,
  attempts int(10) unsigned NOT NULL DEFAULT 0,
  next_attempt_at datetime NOT NULL,
  last_error varchar(255) NOT NULL DEFAULT '',
  failed_at datetime DEFAULT NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY delivery_id (delivery_id),
  KEY next_attempt_at (next_attempt_at),
  KEY failed_at (failed_at)"
		);
	}

	/**
	 * Drops the table.
	 *
	 * @since 0.2.0
	 *
	 * @return void
	 */
	public static function drop_table(): void {
		Schema::drop_table( self::table() );
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
	 * The most deliveries the table holds, failed ones included.
	 *
	 * @since 0.2.0
	 *
	 * @return int
	 */
	public static function max_rows(): int {
		/**
		 * Filters how many deliveries the spool holds at most (failed ones included). When it
		 * is full, a webhook the bridge cannot take is answered 503 with Retry-After, so the
		 * CRM shows it as failed rather than the site's database growing without bound. A row
		 * is a few hundred bytes: the default is about 25 MB, some 40 minutes of a storm of 20
		 * webhooks a second, days of ordinary traffic.
		 *
		 * Example: a site on a small database.
		 *
		 *     add_filter( 'pulse_sync_spool_max_rows', fn() => 5000 );
		 *
		 * @since 0.2.0
		 *
		 * @param int $max_rows Default 50000.
		 */
		return max( 1, (int) apply_filters( 'pulse_sync_spool_max_rows', 50000 ) );
	}

	/**
	 * Stores a delivery; storing the same delivery id again changes nothing.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Refuses when the spool holds max_rows() deliveries.
	 *
	 * @param array<string,mixed> $delivery Delivery as forwarded to the bridge.
	 * @return bool False when the spool is full or the database refused the write.
	 */
	public static function store( array $delivery ): bool {
		global $wpdb;
		if ( self::is_full() ) {
			return false;
		}
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
	 * Whether any delivery waits for a hand-over. Asked after every webhook: stops at the first
	 * row, where count() reads every one (up to 50,000 while the bridge is away).
	 *
	 * @since 0.2.0
	 *
	 * @return bool
	 */
	public static function has_pending(): bool {
		global $wpdb;
		$table = self::table();
		return null !== $wpdb->get_var( "SELECT 1 FROM {$table} WHERE failed_at IS NULL LIMIT 1" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
	}

	/**
	 * Number of deliveries waiting to be handed over (failed ones not included).
	 *
	 * @since 0.1.0
	 *
	 * @return int
	 */
	public static function count(): int {
		global $wpdb;
		$table = self::table();
		return (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table} WHERE failed_at IS NULL" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
	}

	/**
	 * Number of deliveries the bridge refused, kept for the owner to replay or discard.
	 *
	 * @since 0.2.0
	 *
	 * @return int
	 */
	public static function count_failed(): int {
		global $wpdb;
		$table = self::table();
		return (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table} WHERE failed_at IS NOT NULL" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
	}

	/**
	 * Whether the table holds max_rows() deliveries. The id range bounds the row count from
	 * above and costs two index lookups, so rows are counted only when it says they might be
	 * that many.
	 *
	 * @since 0.2.0
	 *
	 * @return bool
	 * @throws DatabaseError When the table cannot be read.
	 */
	public static function is_full(): bool {
		global $wpdb;
		$table = self::table();
		$max   = self::max_rows();
		$span  = $wpdb->get_var( "SELECT MAX(id) - MIN(id) + 1 FROM {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		DatabaseError::check( $span, 'spool size' );
		if ( (int) $span < $max ) {
			return false;
		}
		$rows = $wpdb->get_var( "SELECT COUNT(*) FROM {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		DatabaseError::check( $rows, 'spool size' );
		return (int) $rows >= $max;
	}

	/**
	 * Hands due deliveries to the bridge, oldest first, and deletes each one the
	 * bridge accepted. A delivery the bridge refuses is marked failed and the flush
	 * goes on; at any other failure it stops: the bridge is still away.
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
					"SELECT id, payload, attempts FROM {$table} WHERE failed_at IS NULL AND next_attempt_at <= %s ORDER BY id ASC LIMIT %d",
					$bridge_back ? self::END_OF_TIME : gmdate( 'Y-m-d H:i:s' ),
					$limit
				),
				ARRAY_A
			);
			foreach ( (array) $rows as $row ) {
				$outcome = self::hand_over( $client, $row );
				if ( self::AWAY === $outcome ) {
					break;
				}
				if ( self::HANDED_OVER === $outcome ) {
					++$handed_over;
				}
			}
		} finally {
			NamedLock::release( self::FLUSH_LOCK );
		}
		return $handed_over;
	}

	/**
	 * The failed deliveries, newest first, as the Status screen lists them.
	 *
	 * @since 0.2.0
	 *
	 * @param int $limit Most rows.
	 * @return array<int,array{id:int,delivery_id:string,action:string,contact_id:int|null,received_at:string|null,attempts:int,error:string,failed_at:string}>
	 * @throws DatabaseError When the table cannot be read.
	 */
	public static function failed( int $limit ): array {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT id, delivery_id, payload, attempts, last_error, failed_at FROM {$table} WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT %d", $limit ), ARRAY_A );
		DatabaseError::check( $rows, 'spool read' );
		$failed = array();
		foreach ( (array) $rows as $row ) {
			$delivery = json_decode( (string) $row['payload'], true );
			$delivery = is_array( $delivery ) ? $delivery : array();
			$failed[] = array(
				'id'          => (int) $row['id'],
				'delivery_id' => (string) $row['delivery_id'],
				'action'      => is_string( $delivery['action'] ?? null ) ? $delivery['action'] : '',
				'contact_id'  => is_int( $delivery['contact_id'] ?? null ) ? $delivery['contact_id'] : null,
				'received_at' => is_string( $delivery['received_at'] ?? null ) ? $delivery['received_at'] : null,
				'attempts'    => (int) $row['attempts'],
				'error'       => (string) $row['last_error'],
				'failed_at'   => gmdate( 'Y-m-d\TH:i:s\Z', (int) strtotime( $row['failed_at'] . ' UTC' ) ),
			);
		}
		return $failed;
	}

	/**
	 * Puts a failed delivery back in line: the next flush hands it over again.
	 *
	 * @since 0.2.0
	 *
	 * @param int $id Row id.
	 * @return bool False when no failed delivery has this id.
	 * @throws DatabaseError When the table cannot be written.
	 */
	public static function replay( int $id ): bool {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		$updated = $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET failed_at = NULL, attempts = 0, last_error = '', next_attempt_at = %s WHERE id = %d AND failed_at IS NOT NULL", gmdate( 'Y-m-d H:i:s' ), $id ) );
		DatabaseError::check( $updated, 'spool replay' );
		return 1 === (int) $updated;
	}

	/**
	 * Deletes a failed delivery for good.
	 *
	 * @since 0.2.0
	 *
	 * @param int $id Row id.
	 * @return bool False when no failed delivery has this id.
	 * @throws DatabaseError When the table cannot be written.
	 */
	public static function discard( int $id ): bool {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		$deleted = $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE id = %d AND failed_at IS NOT NULL", $id ) );
		DatabaseError::check( $deleted, 'spool discard' );
		return 1 === (int) $deleted;
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
	 * @since 0.2.0 Returns the outcome; a refused delivery is marked failed.
	 *
	 * @param Client              $client Bridge client.
	 * @param array<string,mixed> $row    Spool row.
	 * @return string self::HANDED_OVER, self::REFUSED or self::AWAY.
	 */
	private static function hand_over( Client $client, array $row ): string {
		global $wpdb;
		$delivery = json_decode( (string) $row['payload'], true );
		if ( ! is_array( $delivery ) ) {
			// Written by this class with wp_json_encode: only corruption gets here. Kept for the owner to see.
			self::mark_failed( $row, __( 'The stored delivery is not valid JSON.', 'pulse-sync' ) );
			return self::REFUSED;
		}
		// The CRM was answered long ago: nobody waits for this one.
		$delivery['wait_ms'] = 0;
		try {
			$response = $client->forward_delivery( $delivery, Client::default_timeout() );
		} catch ( BridgeUnavailable $e ) {
			self::back_off( $row, $e->getMessage() );
			return self::AWAY;
		}
		if ( $response->is_success() ) {
			$wpdb->delete( self::table(), array( 'id' => (int) $row['id'] ), array( '%d' ) );
			return self::HANDED_OVER;
		}
		$error = self::describe_refusal( $response );
		if ( in_array( $response->status, self::REFUSED_STATUSES, true ) ) {
			self::mark_failed( $row, $error );
			return self::REFUSED;
		}
		self::back_off( $row, $error );
		return self::AWAY;
	}

	/**
	 * The bridge's refusal in a line: `HTTP 400 invalid_request: id must be …`.
	 *
	 * @since 0.2.0
	 *
	 * @param Response $response Bridge answer.
	 * @return string
	 */
	private static function describe_refusal( Response $response ): string {
		$code    = is_string( $response->body['error'] ?? null ) ? ' ' . $response->body['error'] : '';
		$message = is_string( $response->body['message'] ?? null ) ? ': ' . $response->body['message'] : '';
		return sprintf( 'HTTP %d%s%s', $response->status, $code, $message );
	}

	/**
	 * Records a failed hand-over of a delivery the bridge is expected to take later.
	 *
	 * @since 0.2.0
	 *
	 * @param array<string,mixed> $row   Spool row.
	 * @param string              $error Why.
	 * @return void
	 * @throws DatabaseError When the row cannot be updated.
	 */
	private static function back_off( array $row, string $error ): void {
		$attempts = (int) $row['attempts'] + 1;
		self::update_row(
			(int) $row['id'],
			array(
				'attempts'        => $attempts,
				'next_attempt_at' => gmdate( 'Y-m-d H:i:s', time() + self::backoff_seconds( $attempts ) ),
				'last_error'      => self::truncate( $error ),
			)
		);
	}

	/**
	 * Marks a delivery failed: never handed over again unless the owner replays it.
	 *
	 * @since 0.2.0
	 *
	 * @param array<string,mixed> $row   Spool row.
	 * @param string              $error The bridge's reason.
	 * @return void
	 * @throws DatabaseError When the row cannot be updated.
	 */
	private static function mark_failed( array $row, string $error ): void {
		self::update_row(
			(int) $row['id'],
			array(
				'attempts'   => (int) $row['attempts'] + 1,
				'failed_at'  => gmdate( 'Y-m-d H:i:s' ),
				'last_error' => self::truncate( $error ),
			)
		);
	}

	/**
	 * Updates one row's columns.
	 *
	 * @since 0.2.0
	 *
	 * @param int                 $id      Row id.
	 * @param array<string,mixed> $columns Column => value (ints as %d, the rest as %s).
	 * @return void
	 * @throws DatabaseError When the row cannot be updated.
	 */
	private static function update_row( int $id, array $columns ): void {
		global $wpdb;
		$formats = array_map( static fn( $value ): string => is_int( $value ) ? '%d' : '%s', array_values( $columns ) );
		$updated = $wpdb->update( self::table(), $columns, array( 'id' => $id ), $formats, array( '%d' ) );
		DatabaseError::check( $updated, 'spool update' );
	}

	/**
	 * Cuts a reason to the column's 255 characters without splitting a UTF-8 character.
	 *
	 * @since 0.2.0
	 *
	 * @param string $error Reason.
	 * @return string
	 */
	private static function truncate( string $error ): string {
		return mb_substr( $error, 0, 255 );
	}

	/**
	 * Delay before the next hand-over attempt of one delivery while the bridge is away:
	 * doubles up to 15 minutes.
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
