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

	/**
	 * The client secret is stored without autoload.
	 */
	public function test_client_secret_is_not_autoloaded(): void {
		global $wpdb;
		delete_option( Settings::CLIENT_SECRET_OPTION );
		Settings::set_client_secret( 'abc-123' );
		$autoload = $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", Settings::CLIENT_SECRET_OPTION ) );
		$this->assertContains( $autoload, array( 'no', 'off' ) );
	}
}
