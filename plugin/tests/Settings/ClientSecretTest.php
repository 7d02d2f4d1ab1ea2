<?php
/**
 * Tests for the CRM client secret's storage.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Settings;

use PulseSync\Settings\ClientSecret;
use PulseSync\Tests\TestCase;

defined( 'ABSPATH' ) || exit;

/**
 * @covers \PulseSync\Settings\ClientSecret
 */
class ClientSecretTest extends TestCase {

	/**
	 * The client secret is stored without autoload.
	 */
	public function test_client_secret_is_not_autoloaded(): void {
		global $wpdb;
		delete_option( ClientSecret::OPTION );
		ClientSecret::set( 'abc-123' );
		$autoload = $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", ClientSecret::OPTION ) );
		$this->assertContains( $autoload, array( 'no', 'off' ) );
	}
}
