<?php
/**
 * Tests for priming the option cache.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Support;

use PulseSync\Support\OptionCache;

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/PluginTestCase.php';

/**
 * @covers \PulseSync\Support\OptionCache
 */
class OptionCacheTest extends PluginTestCase {

	private const PRESENT = 'pulse_sync_test_primed';
	private const MISSING = 'pulse_sync_test_never_stored';

	/**
	 * Queries $wpdb ran since the test started counting.
	 *
	 * @var int
	 */
	private int $queries = 0;

	/**
	 * Stores one option that is not autoloaded and starts from an empty cache.
	 */
	protected function setUp(): void {
		parent::setUp();
		add_option( self::PRESENT, array( 'a' => 1 ), '', 'no' );
		delete_option( self::MISSING );
		wp_cache_flush();
	}

	/**
	 * Removes the option.
	 */
	protected function tearDown(): void {
		remove_all_filters( 'query' );
		delete_option( self::PRESENT );
		parent::tearDown();
	}

	/**
	 * Starts counting the queries $wpdb runs.
	 */
	private function count_queries(): void {
		add_filter(
			'query',
			function ( $query ) {
				++$this->queries;
				return $query;
			}
		);
	}

	/**
	 * Seven options that are not autoloaded cost a webhook seven queries.
	 */
	public function test_regression_a_webhook_read_each_option_that_is_not_autoloaded_with_a_query_of_its_own(): void {
		wp_load_alloptions();
		$this->count_queries();
		OptionCache::prime( array( self::PRESENT, self::MISSING ) );
		$this->assertSame( 1, $this->queries, 'one query for all the names' );

		$this->assertSame( array( 'a' => 1 ), get_option( self::PRESENT ) );
		$this->assertFalse( get_option( self::MISSING ) );
		$this->assertSame( 1, $this->queries, 'both answered from the cache, the missing one too' );
	}

	/**
	 * An autoloaded or already cached option is not asked for again.
	 */
	public function test_primes_nothing_already_known(): void {
		wp_load_alloptions();
		get_option( self::PRESENT );
		$this->count_queries();
		OptionCache::prime( array( self::PRESENT, 'siteurl' ) );
		$this->assertSame( 0, $this->queries );
	}
}
