<?php
/**
 * Shared helpers of the plugin's own tests.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Support;

use PulseSync\AccessKey;
use PulseSync\Settings;
use PulseSync\Tests\TestCase;
use PulseSync\Webhook\Spool;

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/FakeBridge.php';

/**
 * Adds webhook, spool and bridge helpers to the stack's TestCase.
 *
 * @since 0.1.0
 */
abstract class PluginTestCase extends TestCase {

	/**
	 * Fake bridges started by the test.
	 *
	 * @var FakeBridge[]
	 */
	private array $bridges = array();

	/**
	 * Starts clean: no memory of a bridge outage or a backlog from an earlier test.
	 */
	protected function setUp(): void {
		parent::setUp();
		self::forget_bridge_state();
	}

	/**
	 * Stops every fake bridge.
	 */
	protected function tearDown(): void {
		foreach ( $this->bridges as $bridge ) {
			$bridge->stop();
		}
		self::forget_bridge_state();
		parent::tearDown();
	}

	/**
	 * Forgets the transients the dispatcher keeps about the bridge.
	 *
	 * @return void
	 */
	protected static function forget_bridge_state(): void {
		delete_transient( 'pulse_sync_bridge_down' );
		delete_transient( 'pulse_sync_bridge_backlog' );
	}

	/**
	 * Starts a fake bridge and points the site at it.
	 *
	 * @return FakeBridge
	 */
	protected function start_fake_bridge(): FakeBridge {
		$bridge          = new FakeBridge();
		$this->bridges[] = $bridge;
		$this->point_bridge_at( $bridge->url() );
		return $bridge;
	}

	/**
	 * Points the site at a bridge URL.
	 *
	 * @param string $url Bridge URL.
	 * @return void
	 */
	protected function point_bridge_at( string $url ): void {
		Settings::update( array( 'bridge_url' => $url ) );
	}

	/**
	 * Points the site at a port where nothing listens.
	 *
	 * @return void
	 */
	protected function point_bridge_at_closed_port(): void {
		$this->point_bridge_at( 'http://127.0.0.1:' . FakeBridge::free_port() );
	}

	/**
	 * A webhook over HTTP, with the site's key unless the query says otherwise.
	 *
	 * @param string               $query   Query string after `?`; `{key}` is replaced by the access key.
	 * @param string               $method  GET or POST.
	 * @param string|null          $body    Raw body.
	 * @param array<string,string> $headers Headers.
	 * @return array{status:int, headers:array<string,string>, body:string, json:mixed}
	 */
	protected function webhook( string $query, string $method = 'GET', ?string $body = null, array $headers = array() ): array {
		return $this->http( $method, '/?' . str_replace( '{key}', AccessKey::get(), $query ), $body, $headers );
	}

	/**
	 * Webhooks sent all at once (curl_multi), each a GET with the given query.
	 *
	 * @param string[] $queries Query strings after `?`; `{key}` is replaced by the access key.
	 * @return array<int,array{status:int,retry_after:int,json:mixed}> One per query, in order.
	 */
	protected function parallel_webhooks( array $queries ): array {
		$requests = array_map(
			static fn( string $query ): array => array(
				'method' => 'GET',
				'path'   => '/?' . str_replace( '{key}', AccessKey::get(), $query ),
			),
			$queries
		);
		return $this->http_at_once( $requests );
	}

	/**
	 * Spool rows, oldest first, with the payload decoded.
	 *
	 * @return array<int,array<string,mixed>>
	 */
	protected function spool_rows(): array {
		global $wpdb;
		$table = Spool::table();
		$rows  = $wpdb->get_results( "SELECT * FROM {$table} ORDER BY id ASC", ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		foreach ( $rows as &$row ) {
			$row['payload'] = json_decode( $row['payload'], true );
		}
		return $rows;
	}

	/**
	 * Asserts an answer is a JSON webhook answer with the given status and `error`.
	 *
	 * @param int         $status   Expected HTTP status.
	 * @param string|null $error    Expected `error` code (null for a success).
	 * @param array       $response Response from http().
	 * @return void
	 */
	protected function assertWebhookAnswer( int $status, ?string $error, array $response ): void {
		$this->assertSame( $status, $response['status'], $response['body'] );
		$this->assertStringStartsWith( 'application/json', $response['headers']['content-type'] ?? '' );
		$this->assertSame( 'no-store', $response['headers']['cache-control'] ?? '' );
		$this->assertIsArray( $response['json'], 'The body must be pure JSON: ' . $response['body'] );
		if ( null === $error ) {
			$this->assertTrue( $response['json']['success'] );
		} else {
			$this->assertFalse( $response['json']['success'] );
			$this->assertSame( $error, $response['json']['error'] );
			$this->assertIsString( $response['json']['message'] );
		}
	}
}
