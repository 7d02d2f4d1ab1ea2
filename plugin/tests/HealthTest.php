<?php
/**
 * Tests for the Site Health tests.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests;

use PulseSync\Health;
use PulseSync\Tests\Support\PluginTestCase;

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Health
 * @covers \PulseSync\Webhook\SelfTest
 */
class HealthTest extends PluginTestCase {

	/**
	 * Tests are registered.
	 */
	public function test_tests_are_registered(): void {
		$tests = apply_filters( 'site_status_tests', array( 'direct' => array(), 'async' => array() ) );
		foreach ( array( 'pulse_sync_bridge', 'pulse_sync_crm', 'pulse_sync_webhook' ) as $test ) {
			$this->assertArrayHasKey( $test, $tests['direct'] );
		}
	}

	/**
	 * Bridge and crm when the bridge is away.
	 */
	public function test_bridge_and_crm_when_the_bridge_is_away(): void {
		$this->point_bridge_at_closed_port();
		$this->assertSame( 'critical', Health::test_bridge()['status'] );
		$this->assertSame( 'recommended', Health::test_crm()['status'] );
	}

	/**
	 * Bridge and crm when connected.
	 */
	public function test_bridge_and_crm_when_connected(): void {
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/status', 200, array( 'version' => '0.1.0', 'crm' => array( 'connected' => true ) ) );
		$this->assertSame( 'good', Health::test_bridge()['status'] );
		$this->assertSame( 'good', Health::test_crm()['status'] );
	}

	/**
	 * Crm not connected shows the last error.
	 */
	public function test_crm_not_connected_shows_the_last_error(): void {
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/status', 200, array( 'crm' => array( 'connected' => false, 'last_error' => 'Token revoked' ) ) );
		$result = Health::test_crm();
		$this->assertSame( 'critical', $result['status'] );
		$this->assertStringContainsString( 'Token revoked', $result['description'] );
	}

	/**
	 * Bridge refusing the signature is critical.
	 */
	public function test_bridge_refusing_the_signature_is_critical(): void {
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/status', 401, array( 'error' => 'invalid_signature', 'message' => 'no' ) );
		$this->assertSame( 'critical', Health::test_bridge()['status'] );
	}

	/**
	 * Webhook endpoint reachable.
	 */
	public function test_webhook_endpoint_reachable(): void {
		$this->assertSame( 'good', Health::test_webhook()['status'] );
	}

	/**
	 * Webhook endpoint blocked by a firewall page.
	 */
	public function test_webhook_endpoint_blocked_by_a_firewall_page(): void {
		$blocked = static fn() => array(
			'headers'  => array(),
			'body'     => '<html><body>Access denied by firewall</body></html>',
			'response' => array( 'code' => 403, 'message' => 'Forbidden' ),
			'cookies'  => array(),
		);
		add_filter( 'pre_http_request', $blocked );
		$result = Health::test_webhook();
		remove_filter( 'pre_http_request', $blocked );
		$this->assertSame( 'critical', $result['status'] );
		$this->assertStringContainsString( '403', $result['description'] );
	}
}
