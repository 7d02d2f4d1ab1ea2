<?php
/**
 * Tests for the bad-key throttle.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Webhook;

use PulseSync\HttpError;
use PulseSync\Tests\Support\PluginTestCase;
use PulseSync\Webhook\KeyThrottle;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Webhook\KeyThrottle
 */
class KeyThrottleTest extends PluginTestCase {

	private const IP = '203.0.113.9';

	/**
	 * Five bad keys in a minute lock the address out over http.
	 */
	public function test_five_bad_keys_in_a_minute_lock_the_address_out_over_http(): void {
		for ( $i = 0; $i < 5; $i++ ) {
			$this->assertSame( 403, $this->webhook( 'wpf_action=test&access_key=wrong' . $i )['status'] );
		}
		$locked = $this->webhook( 'wpf_action=test&access_key=wrong' );
		$this->assertWebhookAnswer( 429, 'too_many_bad_keys', $locked );
		$this->assertGreaterThan( 0, (int) $locked['headers']['retry-after'] );
		$this->assertLessThanOrEqual( 60, (int) $locked['headers']['retry-after'] );
		// While locked out the key is not even looked at, so guessing gains nothing.
		$this->assertWebhookAnswer( 429, 'too_many_bad_keys', $this->webhook( 'wpf_action=test&access_key={key}' ) );
	}

	/**
	 * Four bad keys do not lock out.
	 */
	public function test_four_bad_keys_do_not_lock_out(): void {
		for ( $i = 0; $i < 4; $i++ ) {
			$this->webhook( 'wpf_action=test&access_key=wrong' );
		}
		$this->assertWebhookAnswer( 200, null, $this->webhook( 'wpf_action=test&access_key={key}' ) );
	}

	/**
	 * Failures outside the window do not count.
	 */
	public function test_failures_outside_the_window_do_not_count(): void {
		$throttle = new KeyThrottle( self::IP );
		for ( $i = 0; $i < 4; $i++ ) {
			$throttle->record_failure( 1000 );
		}
		$throttle->record_failure( 1061 );
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
			for ( $i = 0; $i < 5; $i++ ) {
				$throttle->record_failure( $now );
			}
			$this->assertSame( $expected, $this->retry_after( $throttle, $now ) );
			$now += $expected;
			$throttle->assert_allowed( $now );
		}
	}

	/**
	 * Addresses are throttled separately.
	 */
	public function test_addresses_are_throttled_separately(): void {
		$throttle = new KeyThrottle( self::IP );
		for ( $i = 0; $i < 5; $i++ ) {
			$throttle->record_failure( 1000 );
		}
		( new KeyThrottle( '198.51.100.1' ) )->assert_allowed( 1000 );
		$this->assertSame( 60, $this->retry_after( $throttle, 1000 ) );
	}

	/**
	 * The Retry-After a locked-out address gets.
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
		$this->fail( 'The address should be locked out.' );
	}
}
