<?php
/**
 * Tests for the transaction helper.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Support;

use PulseSync\Support\Transaction;

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/PluginTestCase.php';

/**
 * @covers \PulseSync\Support\Transaction
 */
class TransactionTest extends PluginTestCase {

	private const OPTION = 'pulse_sync_test_transaction';

	/**
	 * Removes the row a test may have left.
	 */
	protected function tearDown(): void {
		global $wpdb;
		$wpdb->delete( $wpdb->options, array( 'option_name' => self::OPTION ) );
		parent::tearDown();
	}

	/**
	 * Counts the test's row in the database itself (the option cache would not see a rollback).
	 *
	 * @return int
	 */
	private static function rows(): int {
		global $wpdb;
		return (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name = %s", self::OPTION ) );
	}

	/**
	 * The callback's writes are committed and its value returned.
	 */
	public function test_commits_and_returns_what_the_callback_returned(): void {
		global $wpdb;
		$result = Transaction::run(
			static function () use ( $wpdb ): string {
				$wpdb->insert( $wpdb->options, array( 'option_name' => self::OPTION, 'option_value' => '1', 'autoload' => 'no' ) );
				return 'done';
			}
		);
		$this->assertSame( 'done', $result );
		$this->assertSame( 1, self::rows() );
	}

	/**
	 * A callback that throws leaves none of its writes, and the exception reaches the caller.
	 */
	public function test_rolls_back_and_rethrows(): void {
		global $wpdb;
		try {
			Transaction::run(
				static function () use ( $wpdb ): void {
					$wpdb->insert( $wpdb->options, array( 'option_name' => self::OPTION, 'option_value' => '1', 'autoload' => 'no' ) );
					throw new \LogicException( 'half way' );
				}
			);
			$this->fail( 'The exception should reach the caller.' );
		} catch ( \LogicException $e ) {
			$this->assertSame( 'half way', $e->getMessage() );
		}
		$this->assertSame( 0, self::rows() );
	}
}
