<?php
/**
 * Tests for the settings.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests;

use PulseSync\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * @covers \PulseSync\Settings
 */
class SettingsTest extends TestCase {

	/**
	 * Defaults match docs/architecture.md.
	 */
	public function test_defaults(): void {
		$defaults = Settings::defaults();
		$this->assertSame( 'http://127.0.0.1:8787', $defaults['bridge_url'] );
		$this->assertSame( 3000, $defaults['wait_budget_ms'] );
		$this->assertSame( 2, $defaults['max_waiting_workers'] );
		$this->assertSame( 'email', $defaults['username_format'] );
		$this->assertFalse( $defaults['always_send_welcome'] );
		$this->assertSame( array( 'user_email', 'first_name', 'last_name' ), array_column( $defaults['field_mapping'], 'wp' ) );
	}
}
