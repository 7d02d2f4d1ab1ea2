<?php
/**
 * Tests for the wrong-key throttle and the failure throttle under it.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Webhook;

use PulseSync\HttpError;
use PulseSync\Support\DatabaseError;
use PulseSync\Support\Throttle;
use PulseSync\Tests\Support\PluginTestCase;
use PulseSync\Webhook\KeyThrottle;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Webhook\KeyThrottle
 * @covers \PulseSync\Support\Throttle
 */
class KeyThrottleTest extends PluginTestCase {

	private const IP = '203.0.113.9';

	/**
	 * Removes the filters a test added.
	 */
	protected function tearDown(): void {
		remove_all_filters( 'pulse_sync_key_is_throttled' );
		remove_all_filters( 'pulse_sync_key_throttle' );
		parent::tearDown();
	}

	/**
	 * Regression: the throttle was checked before the key, per exact address, so five wrong
	 * keys from anyone behind the CRM's proxy or CDN locked the CRM's own webhooks out for up
	 * to an hour. Now the right key is always answered; wrong ones are still throttled.
	 */
	public function test_bad_keys_from_a_shared_proxy_never_refuse_the_right_key(): void {
		for ( $i = 0; $i < 5; $i++ ) {
			$this->assertWebhookAnswer( 403, 'invalid_access_key', $this->webhook( 'wpf_action=test&access_key=wrong' . $i ) );
		}
		$locked = $this->webhook( 'wpf_action=test&access_key=wrong' );
		$this->assertWebhookAnswer( 429, 'too_many_bad_keys', $locked );
		$this->assertGreaterThan( 0, (int) $locked['headers']['retry-after'] );
		$this->assertLessThanOrEqual( 60, (int) $locked['headers']['retry-after'] );

		$this->assertWebhookAnswer( 200, null, $this->webhook( 'wpf_action=test&access_key={key}' ) );
		$this->assertWebhookAnswer( 429, 'too_many_bad_keys', $this->webhook( 'wpf_action=test&access_key=wrong' ) );
	}

	/**
	 * Four bad keys do not lock out.
	 */
	public function test_four_bad_keys_do_not_lock_out(): void {
		for ( $i = 0; $i < 4; $i++ ) {
			$this->webhook( 'wpf_action=test&access_key=wrong' );
		}
		$this->assertWebhookAnswer( 403, 'invalid_access_key', $this->webhook( 'wpf_action=test&access_key=wrong' ) );
	}

	/**
	 * Regression: the count was read, incremented and written back as a transient, so wrong
	 * keys sent in parallel overwrote each other's counts and far more than five got through
	 * to the key check per minute. Counted atomically, exactly five are answered 403.
	 */
	public function test_parallel_bad_keys_are_counted_atomically(): void {
		$answers  = $this->parallel_webhooks( array_map( static fn( int $i ): string => "wpf_action=test&access_key=wrong{$i}", range( 1, 30 ) ) );
		$statuses = array_count_values( array_column( $answers, 'status' ) );
		ksort( $statuses );
		$this->assertSame( array( 403 => 5, 429 => 25 ), $statuses );
		foreach ( $answers as $answer ) {
			if ( 429 === $answer['status'] ) {
				$this->assertGreaterThan( 0, $answer['retry_after'] );
			}
		}
	}

	/**
	 * Failures outside the window do not count.
	 */
	public function test_failures_outside_the_window_do_not_count(): void {
		$throttle = new KeyThrottle( self::IP );
		for ( $i = 0; $i < 4; $i++ ) {
			$throttle->record_failure( 1000 );
		}
		$this->assertSame( 0, $throttle->record_failure( 1061 ) );
		$throttle->assert_allowed( 1061 );
		$this->addToAssertionCount( 1 );
	}

	/**
	 * Lockouts double each time.
	 */
	public function test_lockouts_double_each_time(): void {
		$throttle = new KeyThrottle( self::IP );
		$now      = 1000;
		foreach ( array( 60, 120, 240 ) as $expected ) {
			$this->fail_times( $throttle, 5, $now );
			$this->assertSame( $expected, $this->retry_after( $throttle, $now ) );
			$now += $expected;
			$throttle->assert_allowed( $now );
		}
	}

	/**
	 * Lockouts are forgotten an hour (max_lockout) after the last one ends.
	 */
	public function test_lockouts_are_forgotten_after_a_quiet_hour(): void {
		$throttle = new KeyThrottle( self::IP );
		$this->fail_times( $throttle, 5, 1000 );
		$this->fail_times( $throttle, 5, 1060 );
		$this->assertSame( 120, $this->retry_after( $throttle, 1060 ) );
		$later = 1060 + 120 + 3600;
		$this->fail_times( $throttle, 5, $later );
		$this->assertSame( 60, $this->retry_after( $throttle, $later ) );
	}

	/**
	 * Addresses are throttled separately.
	 */
	public function test_addresses_are_throttled_separately(): void {
		$throttle = new KeyThrottle( self::IP );
		$this->fail_times( $throttle, 5, 1000 );
		( new KeyThrottle( '198.51.100.1' ) )->assert_allowed( 1000 );
		$this->assertSame( 60, $this->retry_after( $throttle, 1000 ) );
	}

	/**
	 * Regression: every IPv6 address counted alone, and one host gets a whole /64, so it
	 * could rotate through 2^64 addresses. Addresses of one /64 share one count.
	 */
	public function test_an_ipv6_attacker_counts_per_64_not_per_address(): void {
		foreach ( array( '2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::3', '2001:db8:1:2:abcd:ef01:2345:6789', '2001:db8:1:2::5' ) as $ip ) {
			( new KeyThrottle( $ip ) )->record_failure( 1000 );
		}
		$this->assertSame( 60, $this->retry_after( new KeyThrottle( '2001:db8:1:2:9999::9' ), 1000 ) );
		( new KeyThrottle( '2001:db8:1:3::1' ) )->assert_allowed( 1000 );
		$this->addToAssertionCount( 1 );
	}

	/**
	 * An IPv4-mapped IPv6 address (a dual-stack server's REMOTE_ADDR) counts as its IPv4 address.
	 */
	public function test_an_ipv4_mapped_ipv6_address_counts_as_its_ipv4_address(): void {
		$this->fail_times( new KeyThrottle( '::ffff:' . self::IP ), 5, 1000 );
		$this->assertSame( 60, $this->retry_after( new KeyThrottle( self::IP ), 1000 ) );
	}

	/**
	 * Regression: each address had its own budget, so many addresses (a botnet, a cloud
	 * provider's pool) multiplied the guesses. All addresses share 100 failures a minute.
	 */
	public function test_many_addresses_share_one_global_failure_budget(): void {
		for ( $i = 1; $i <= 100; $i++ ) {
			$this->assertSame( 0, ( new KeyThrottle( '198.51.100.' . $i ) )->record_failure( 1000 ), "failure {$i}" );
		}
		$fresh_address = new KeyThrottle( '192.0.2.77' );
		// 1000 lies in the window 960-1019.
		$this->assertSame( 20, $this->retry_after( $fresh_address, 1000 ) );
		$this->assertSame( 19, $this->retry_after( $fresh_address, 1001 ) );
		$fresh_address->assert_allowed( 1020 );
		$this->addToAssertionCount( 1 );
	}

	/**
	 * `pulse_sync_key_is_throttled` can override the decision both ways.
	 */
	public function test_a_filter_can_override_the_decision(): void {
		$throttle = new KeyThrottle( self::IP );
		$this->fail_times( $throttle, 6, 1000 );
		add_filter( 'pulse_sync_key_is_throttled', '__return_false' );
		$throttle->assert_allowed( 1000 );
		$this->assertSame( 0, $throttle->record_failure( 1000 ) );
		remove_all_filters( 'pulse_sync_key_is_throttled' );

		$other = new KeyThrottle( '198.51.100.1' );
		$other->assert_allowed( 1000 );
		add_filter( 'pulse_sync_key_is_throttled', static fn( bool $throttled, string $ip ): bool => '198.51.100.1' === $ip || $throttled, 10, 2 );
		$this->assertSame( 20, $this->retry_after( $other, 1000 ), 'Throttled by the filter alone: until the window ends.' );
	}

	/**
	 * `pulse_sync_key_throttle` still tunes the limit.
	 */
	public function test_the_settings_filter_tunes_the_limit(): void {
		add_filter( 'pulse_sync_key_throttle', static fn( array $settings ): array => array_merge( $settings, array( 'limit' => 2 ) ) );
		$throttle = new KeyThrottle( self::IP );
		$this->fail_times( $throttle, 2, 1000 );
		$this->assertSame( 60, $this->retry_after( $throttle, 1000 ) );
	}

	/**
	 * Scopes count separately: wrong pairing codes do not throttle wrong keys.
	 */
	public function test_scopes_count_separately(): void {
		$pairing = new Throttle( 'pairing' );
		for ( $i = 0; $i < 5; $i++ ) {
			$pairing->record_failure( self::IP, 1000 );
		}
		$this->assertSame( 60, $pairing->retry_after( self::IP, 1000 ) );
		( new KeyThrottle( self::IP ) )->assert_allowed( 1000 );
		$this->addToAssertionCount( 1 );
	}

	/**
	 * Regression: two `wp_options` rows per address, removed only by WordPress's daily cron.
	 * Expired rows now go with the first failure of a later window, and no row names an address.
	 */
	public function test_expired_rows_are_purged_without_cron_and_hold_no_address(): void {
		global $wpdb;
		$table = Throttle::table();
		$this->fail_times( new KeyThrottle( self::IP ), 5, 1000 );
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$rows = $wpdb->get_results( "SELECT * FROM {$table}", ARRAY_A );
		$this->assertCount( 3, $rows, 'A count row, a lockout row and the global budget row.' );
		$this->assertStringNotContainsString( self::IP, (string) wp_json_encode( $rows ) );
		$this->assertStringNotContainsString( md5( self::IP ), (string) wp_json_encode( $rows ) );
		$this->assertSame( '0', (string) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE '%pulse\\_sync\\_throttle%'" ) );

		// Long after the lockout and its memory: one failure from elsewhere purges the rest.
		( new KeyThrottle( '198.51.100.1' ) )->record_failure( 1000 + 60 + 3600 + 60 );
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$this->assertSame( '2', (string) $wpdb->get_var( "SELECT COUNT(*) FROM {$table}" ) );
	}

	/**
	 * A database failure is raised, never read as "not throttled".
	 */
	public function test_a_database_error_is_raised_not_ignored(): void {
		global $wpdb;
		$table = Throttle::table();
		$wpdb->query( "RENAME TABLE {$table} TO {$table}_away" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$suppressed = $wpdb->suppress_errors( true );
		try {
			( new KeyThrottle( self::IP ) )->record_failure( 1000 );
			$this->fail( 'A missing table must raise.' );
		} catch ( DatabaseError $e ) {
			$this->assertStringContainsString( 'throttle', $e->getMessage() );
		} finally {
			$wpdb->suppress_errors( $suppressed );
			$wpdb->query( "RENAME TABLE {$table}_away TO {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
	}

	/**
	 * Activation creates the table (the current schema version) and uninstall drops it (UninstallerTest).
	 */
	public function test_activation_creates_the_table(): void {
		global $wpdb;
		$this->assertSame( Throttle::table(), $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Throttle::table() ) ) );
		$this->assertSame( \PulseSync\Activator::DB_VERSION, (int) get_option( \PulseSync\Activator::DB_VERSION_OPTION ) );
	}

	/**
	 * Records `$times` failures at one moment.
	 *
	 * @param KeyThrottle $throttle Throttle.
	 * @param int         $times    Failures.
	 * @param int         $now      Unix seconds.
	 * @return void
	 */
	private function fail_times( KeyThrottle $throttle, int $times, int $now ): void {
		for ( $i = 0; $i < $times; $i++ ) {
			$throttle->record_failure( $now );
		}
	}

	/**
	 * The Retry-After a throttled address gets.
	 *
	 * @param KeyThrottle $throttle Throttle.
	 * @param int         $now      Unix seconds.
	 * @return int
	 */
	private function retry_after( KeyThrottle $throttle, int $now ): int {
		try {
			$throttle->assert_allowed( $now );
		} catch ( HttpError $e ) {
			$this->assertSame( 429, $e->status() );
			return (int) $e->headers()['Retry-After'];
		}
		$this->fail( 'The address should be throttled.' );
	}
}
