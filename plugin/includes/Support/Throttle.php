<?php
/**
 * Counts failed attempts (a wrong access key, a wrong pairing code) and says when to slow down.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Support;

defined( 'ABSPATH' ) || exit;

/**
 * A failure throttle for one scope (`key`, `pairing`, …), kept in the table
 * `{prefix}pulse_sync_throttle`.
 *
 * What it counts: failures only. The caller checks the secret first and asks the
 * throttle only about a request that failed, so a request with the right secret is
 * never refused here, whoever shares its address; the throttle decides between
 * "wrong" (403) and "wrong, slow down" (429 + Retry-After).
 *
 * Buckets: an IPv4 address counts alone, an IPv6 address per /64 (one host gets a
 * whole /64, so counting addresses would give it 2^64 tries). Every bucket of the
 * scope also counts towards one global budget per window: beyond it every failure
 * is throttled, so an attacker with many addresses gains nothing, and the table
 * holds at most about `global_limit` window rows per window.
 *
 * Counting: fixed windows of `window` seconds. Each failure is one
 * `INSERT … ON DUPLICATE KEY UPDATE hits = LAST_INSERT_ID(hits + 1)`, so parallel
 * PHP workers never lose a count and each learns its own rank: exactly the
 * `limit`-th failure of a window locks the bucket out (60 s, doubled for each
 * further lockout up to `max_lockout`; forgotten `max_lockout` after the last one
 * ends), and a failure that raced past the check and ranks above the limit is
 * throttled too. While a bucket or the budget is throttled its failures are refused
 * with a single read and no write.
 *
 * Purging: rows carry `expires_at`; the first failure of each window deletes up to
 * 1,000 expired rows, so the table stays small without WP-Cron. Names are salted
 * hashes of the bucket; no address or secret is stored.
 *
 * Every statement's result is checked: a database error is raised as DatabaseError.
 *
 * @since 0.2.0
 */
class Throttle {

	/**
	 * `window_start` of a bucket's lockout row (count rows start at a window boundary > 0).
	 *
	 * @since 0.2.0
	 */
	private const LOCK_ROW = 0;

	/**
	 * The bucket name of the scope's global budget (bucket names are otherwise 32 hex characters).
	 *
	 * @since 0.2.0
	 */
	private const GLOBAL_BUCKET = '*';

	/**
	 * Most expired rows one purge deletes.
	 *
	 * @since 0.2.0
	 */
	private const PURGE_BATCH = 1000;

	/**
	 * Longest scope name (the column's width).
	 *
	 * @since 0.2.0
	 */
	private const MAX_SCOPE_LENGTH = 32;

	/**
	 * Scope, e.g. `key`.
	 *
	 * @since 0.2.0
	 * @var string
	 */
	private string $scope;

	/**
	 * Effective settings.
	 *
	 * @since 0.2.0
	 * @var array{limit:int,window:int,lockout:int,max_lockout:int,global_limit:int,ipv4_prefix:int,ipv6_prefix:int}
	 */
	private array $settings;

	/**
	 * Constructor.
	 *
	 * @since 0.2.0
	 *
	 * @param string              $scope    Scope name: lowercase letters, digits and `_`, at most 32 characters.
	 *                                      It names the filters `pulse_sync_{$scope}_throttle` and
	 *                                      `pulse_sync_{$scope}_is_throttled`.
	 * @param array<string,mixed> $defaults Settings of this scope (see self::settings()); missing keys take the
	 *                                      defaults documented there.
	 * @throws \InvalidArgumentException For a malformed scope name.
	 */
	public function __construct( string $scope, array $defaults = array() ) {
		if ( 1 !== preg_match( '/^[a-z0-9_]{1,' . self::MAX_SCOPE_LENGTH . '}$/', $scope ) ) {
			throw new \InvalidArgumentException( 'A throttle scope is 1 to 32 of [a-z0-9_].' );
		}
		$this->scope    = $scope;
		$this->settings = self::settings( $scope, $defaults );
	}

	/**
	 * The table name.
	 *
	 * @since 0.2.0
	 *
	 * @return string
	 */
	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'pulse_sync_throttle';
	}

	/**
	 * Creates or upgrades the table.
	 *
	 * @since 0.2.0
	 *
	 * @return void
	 */
	public static function create_table(): void {
		Schema::create_table(
			self::table(),
			'  scope varchar(32) NOT NULL,
  bucket char(32) NOT NULL,
  window_start int(10) unsigned NOT NULL,
  hits int(10) unsigned NOT NULL DEFAULT 0,
  locked_until int(10) unsigned NOT NULL DEFAULT 0,
  expires_at int(10) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY  (scope,bucket,window_start),
  KEY expires_at (expires_at)'
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
	 * How long a caller at this address must wait before its next failure is even
	 * counted: 0 when it is not throttled. Call it only for a request that failed.
	 *
	 * @since 0.2.0
	 *
	 * @param string $ip  Caller's IP address.
	 * @param int    $now Unix seconds.
	 * @return int Seconds (0 = not throttled).
	 * @throws DatabaseError When the table cannot be read.
	 */
	public function retry_after( string $ip, int $now ): int {
		$bucket = $this->bucket( $ip );
		return $this->decide( $this->current_wait( $bucket, $now ), $ip, $now );
	}

	/**
	 * Counts one failure from this address and says whether it is throttled: 0 for
	 * the first `limit` failures of a window (the `limit`-th locks the address out
	 * for the ones after it), else the seconds to wait.
	 *
	 * @since 0.2.0
	 *
	 * @param string $ip  Caller's IP address.
	 * @param int    $now Unix seconds.
	 * @return int Seconds (0 = not throttled).
	 * @throws DatabaseError When the table cannot be written.
	 */
	public function record_failure( string $ip, int $now ): int {
		$bucket       = $this->bucket( $ip );
		$window_start = $this->window_start( $now );
		$window_end   = $window_start + $this->settings['window'];
		$rank         = $this->count( $bucket, $window_start, $window_end );
		$global_rank  = $this->count( self::GLOBAL_BUCKET, $window_start, $window_end );
		$wait         = 0;
		if ( $rank === $this->settings['limit'] ) {
			$this->lock_out( $bucket, $now );
		} elseif ( $rank > $this->settings['limit'] ) {
			// Raced past the check while another failure was locking the bucket out.
			$wait = max( $this->lock_wait( $bucket, $now ), $this->settings['lockout'] );
		}
		if ( $global_rank > $this->settings['global_limit'] ) {
			$wait = max( $wait, $window_end - $now );
		}
		return $this->decide( $wait, $ip, $now );
	}

	/**
	 * The bucket an address counts in: a salted hash of the address, masked to the
	 * IPv4 or IPv6 prefix (an IPv4-mapped IPv6 address counts as IPv4).
	 *
	 * @since 0.2.0
	 *
	 * @param string $ip IP address ('' or invalid: one shared bucket).
	 * @return string 32 hex characters.
	 */
	private function bucket( string $ip ): string {
		$packed = false === filter_var( $ip, FILTER_VALIDATE_IP ) ? false : inet_pton( $ip );
		if ( false === $packed ) {
			return wp_hash( 'pulse_sync_throttle:invalid', 'nonce' );
		}
		if ( 16 === strlen( $packed ) && str_starts_with( $packed, str_repeat( "\0", 10 ) . "\xff\xff" ) ) {
			$packed = substr( $packed, 12 );
		}
		$prefix = 4 === strlen( $packed ) ? $this->settings['ipv4_prefix'] : $this->settings['ipv6_prefix'];
		return wp_hash( 'pulse_sync_throttle:' . inet_ntop( self::mask( $packed, $prefix ) ) . '/' . $prefix, 'nonce' );
	}

	/**
	 * The effective settings of a scope.
	 *
	 * @since 0.2.0
	 *
	 * @param string              $scope    Scope.
	 * @param array<string,mixed> $defaults The scope's own defaults.
	 * @return array{limit:int,window:int,lockout:int,max_lockout:int,global_limit:int,ipv4_prefix:int,ipv6_prefix:int}
	 */
	private static function settings( string $scope, array $defaults ): array {
		$defaults = array_merge(
			array(
				'limit'        => 5,
				'window'       => 60,
				'lockout'      => 60,
				'max_lockout'  => 3600,
				'global_limit' => 100,
				'ipv4_prefix'  => 32,
				'ipv6_prefix'  => 64,
			),
			$defaults
		);
		/**
		 * Filters the tunables of a failure throttle. The dynamic part is the scope:
		 * `pulse_sync_key_throttle` for the webhook access key, `pulse_sync_pairing_throttle`
		 * for pairing codes.
		 *
		 * Example: count IPv6 callers per /56 and allow ten wrong keys a minute.
		 *
		 *     add_filter( 'pulse_sync_key_throttle', function ( array $settings ) {
		 *         $settings['limit']       = 10;
		 *         $settings['ipv6_prefix'] = 56;
		 *         return $settings;
		 *     } );
		 *
		 * @since 0.1.0
		 * @since 0.2.0 `global_limit`, `ipv4_prefix` and `ipv6_prefix`; any scope.
		 *
		 * @param array $settings {
		 *     @type int $limit        Failures one address (IPv6: one /64) may make per window. Default 5.
		 *     @type int $window       Window in seconds. Default 60.
		 *     @type int $lockout      First lockout in seconds, doubled for each further one. Default 60.
		 *     @type int $max_lockout  Longest lockout in seconds; lockouts are forgotten this long after
		 *                             the last one ends. Default 3600.
		 *     @type int $global_limit Failures from all addresses together per window; beyond it every
		 *                             failure is throttled until the window ends. Default 100.
		 *     @type int $ipv4_prefix  Leading bits of an IPv4 address that form its bucket. Default 32.
		 *     @type int $ipv6_prefix  Leading bits of an IPv6 address that form its bucket. Default 64.
		 * }
		 */
		$settings = (array) apply_filters( "pulse_sync_{$scope}_throttle", $defaults );
		$int      = static fn( string $name, int $min, int $max ): int => min( $max, max( $min, (int) ( $settings[ $name ] ?? $defaults[ $name ] ) ) );
		return array(
			'limit'        => $int( 'limit', 1, 1000000 ),
			'window'       => $int( 'window', 1, DAY_IN_SECONDS ),
			'lockout'      => $int( 'lockout', 1, WEEK_IN_SECONDS ),
			'max_lockout'  => $int( 'max_lockout', 1, WEEK_IN_SECONDS ),
			'global_limit' => $int( 'global_limit', 1, 100000000 ),
			'ipv4_prefix'  => $int( 'ipv4_prefix', 1, 32 ),
			'ipv6_prefix'  => $int( 'ipv6_prefix', 1, 128 ),
		);
	}

	/**
	 * Lets a filter override the throttle's decision.
	 *
	 * @since 0.2.0
	 *
	 * @param int    $wait Seconds the throttle would make the caller wait (0 = not throttled).
	 * @param string $ip   Caller's IP address.
	 * @param int    $now  Unix seconds.
	 * @return int Seconds (0 = not throttled).
	 */
	private function decide( int $wait, string $ip, int $now ): int {
		/**
		 * Filters whether a failed attempt is throttled (429 + Retry-After) or only refused
		 * (403), like two-factor's `two_factor_is_user_rate_limited`. The dynamic part is the
		 * scope: `pulse_sync_key_is_throttled` for a wrong access key, `pulse_sync_pairing_is_throttled`
		 * for a wrong pairing code. A request with the right secret never reaches this filter.
		 *
		 * Default: true while the caller's address (IPv6: its /64) is locked out or the
		 * global budget of the window is spent, else false.
		 *
		 * Example: never throttle the office's monitoring host, which probes with a wrong key.
		 *
		 *     add_filter( 'pulse_sync_key_is_throttled', function ( bool $throttled, string $ip ) {
		 *         return '192.0.2.10' === $ip ? false : $throttled;
		 *     }, 10, 2 );
		 *
		 * @since 0.2.0
		 *
		 * @param bool   $throttled   Whether the attempt is throttled.
		 * @param string $ip          Caller's IP address.
		 * @param int    $retry_after Seconds the caller would be told to wait (0 when not throttled).
		 */
		$throttled = (bool) apply_filters( "pulse_sync_{$this->scope}_is_throttled", $wait > 0, $ip, $wait );
		if ( ! $throttled ) {
			return 0;
		}
		// Throttled by a filter alone: until the end of the current window.
		return $wait > 0 ? $wait : $this->window_start( $now ) + $this->settings['window'] - $now;
	}

	/**
	 * The wait a bucket owes now, read in one statement: its lockout, or the rest of the
	 * window when the global budget is spent.
	 *
	 * @since 0.2.0
	 *
	 * @param string $bucket Bucket.
	 * @param int    $now    Unix seconds.
	 * @return int Seconds (0 = none).
	 * @throws DatabaseError When the table cannot be read.
	 */
	private function current_wait( string $bucket, int $now ): int {
		global $wpdb;
		$table        = self::table();
		$window_start = $this->window_start( $now );
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		$rows = $wpdb->get_results(
			$wpdb->prepare(
				"SELECT bucket, window_start, hits, locked_until FROM {$table}
				WHERE scope = %s AND ( ( bucket = %s AND window_start = %d ) OR ( bucket = %s AND window_start = %d ) ) AND expires_at > %d",
				$this->scope,
				$bucket,
				self::LOCK_ROW,
				self::GLOBAL_BUCKET,
				$window_start,
				$now
			),
			ARRAY_A
		);
		DatabaseError::check( $rows, 'throttle read' );
		$wait = 0;
		foreach ( (array) $rows as $row ) {
			if ( self::LOCK_ROW === (int) $row['window_start'] ) {
				$wait = max( $wait, (int) $row['locked_until'] - $now );
			} elseif ( (int) $row['hits'] >= $this->settings['global_limit'] ) {
				$wait = max( $wait, $window_start + $this->settings['window'] - $now );
			}
		}
		return $wait;
	}

	/**
	 * Adds one failure to a bucket's window and returns its rank in that window.
	 *
	 * @since 0.2.0
	 *
	 * @param string $bucket       Bucket.
	 * @param int    $window_start Start of the window.
	 * @param int    $window_end   End of the window (the row expires then).
	 * @return int 1 for the window's first failure, 2 for the next, …
	 * @throws DatabaseError When the table cannot be written.
	 */
	private function count( string $bucket, int $window_start, int $window_end ): int {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		$affected = $wpdb->query(
			$wpdb->prepare(
				"INSERT INTO {$table} (scope, bucket, window_start, hits, expires_at) VALUES (%s, %s, %d, 1, %d)
				ON DUPLICATE KEY UPDATE hits = LAST_INSERT_ID(hits + 1)",
				$this->scope,
				$bucket,
				$window_start,
				$window_end
			)
		);
		DatabaseError::check( $affected, 'throttle count' );
		if ( 1 === (int) $affected ) {
			// A new row: the first failure of this bucket in this window.
			if ( self::GLOBAL_BUCKET === $bucket ) {
				$this->purge( $window_start );
			}
			return 1;
		}
		return $this->last_insert_id( 'throttle count' );
	}

	/**
	 * Locks a bucket out: 60 s for its first lockout, doubled for each further one.
	 *
	 * @since 0.2.0
	 *
	 * @param string $bucket Bucket.
	 * @param int    $now    Unix seconds.
	 * @return void
	 * @throws DatabaseError When the table cannot be written.
	 */
	private function lock_out( string $bucket, int $now ): void {
		global $wpdb;
		$table = self::table();
		// A lockout row that expired but was not purged yet starts again from the first lockout.
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		$affected = $wpdb->query(
			$wpdb->prepare(
				"INSERT INTO {$table} (scope, bucket, window_start, hits, locked_until, expires_at) VALUES (%s, %s, %d, 1, 0, 0)
				ON DUPLICATE KEY UPDATE hits = LAST_INSERT_ID( IF( expires_at <= %d, 1, hits + 1 ) )",
				$this->scope,
				$bucket,
				self::LOCK_ROW,
				$now
			)
		);
		DatabaseError::check( $affected, 'throttle lockout' );
		$lockouts = 1 === (int) $affected ? 1 : $this->last_insert_id( 'throttle lockout' );
		$until    = $now + min( $this->settings['max_lockout'], $this->settings['lockout'] * ( 2 ** min( 20, $lockouts - 1 ) ) );
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		$updated = $wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table} SET locked_until = GREATEST( locked_until, %d ), expires_at = GREATEST( expires_at, %d )
				WHERE scope = %s AND bucket = %s AND window_start = %d",
				$until,
				$until + $this->settings['max_lockout'],
				$this->scope,
				$bucket,
				self::LOCK_ROW
			)
		);
		DatabaseError::check( $updated, 'throttle lockout' );
	}

	/**
	 * Seconds left of a bucket's lockout.
	 *
	 * @since 0.2.0
	 *
	 * @param string $bucket Bucket.
	 * @param int    $now    Unix seconds.
	 * @return int
	 * @throws DatabaseError When the table cannot be read.
	 */
	private function lock_wait( string $bucket, int $now ): int {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		$until = $wpdb->get_var(
			$wpdb->prepare(
				"SELECT locked_until FROM {$table} WHERE scope = %s AND bucket = %s AND window_start = %d AND expires_at > %d",
				$this->scope,
				$bucket,
				self::LOCK_ROW,
				$now
			)
		);
		DatabaseError::check( $until, 'throttle read' );
		return max( 0, (int) $until - $now );
	}

	/**
	 * Deletes expired rows of every scope, a bounded batch at a time.
	 *
	 * @since 0.2.0
	 *
	 * @param int $before Rows that expired at or before this time (unix seconds) go.
	 * @return void
	 * @throws DatabaseError When the table cannot be written.
	 */
	private function purge( int $before ): void {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		$deleted = $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE expires_at <= %d LIMIT %d", $before, self::PURGE_BATCH ) );
		DatabaseError::check( $deleted, 'throttle purge' );
	}

	/**
	 * The value the last `LAST_INSERT_ID(expr)` of this connection set.
	 *
	 * @since 0.2.0
	 *
	 * @param string $context What the value is for.
	 * @return int
	 * @throws DatabaseError When it cannot be read.
	 */
	private function last_insert_id( string $context ): int {
		global $wpdb;
		$value = $wpdb->get_var( 'SELECT LAST_INSERT_ID()' );
		DatabaseError::check( $value, $context );
		return (int) $value;
	}

	/**
	 * Start of the window `$now` falls in.
	 *
	 * @since 0.2.0
	 *
	 * @param int $now Unix seconds.
	 * @return int
	 */
	private function window_start( int $now ): int {
		// Never 0, which names the lockout row.
		return max( 1, $now - ( $now % $this->settings['window'] ) );
	}

	/**
	 * Keeps the leading bits of a packed address.
	 *
	 * @since 0.2.0
	 *
	 * @param string $packed Packed address (4 or 16 bytes).
	 * @param int    $bits   Bits to keep.
	 * @return string
	 */
	private static function mask( string $packed, int $bits ): string {
		$masked = '';
		for ( $i = 0, $length = strlen( $packed ); $i < $length; $i++ ) {
			$keep    = max( 0, min( 8, $bits - 8 * $i ) );
			$masked .= chr( ord( $packed[ $i ] ) & ( 0xFF << ( 8 - $keep ) ) & 0xFF );
		}
		return $masked;
	}
}
