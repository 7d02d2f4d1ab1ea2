<?php
/**
 * Tests for the admin page.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Admin;

use PulseSync\Admin\Page;
use PulseSync\Tests\TestCase;

defined( 'ABSPATH' ) || exit;

/**
 * @covers \PulseSync\Admin\Page
 */
class PageTest extends TestCase {

	/**
	 * Panel config has what the panel reads and no secret.
	 */
	public function test_panel_config_has_what_the_panel_reads_and_no_secret(): void {
		$config = Page::config();
		$this->assertSame( 'pulse-sync/v1', $config['restNamespace'] );
		$this->assertSame( untrailingslashit( home_url() ), $config['siteUrl'] );
		$this->assertSame( home_url( '/' ), $config['webhookBase'] );
		$this->assertSame( PULSE_SYNC_VERSION, $config['version'] );
		$this->assertNotContains( 'administrator', array_column( $config['rolesAllowed'], 'slug' ) );
		$secret = (string) get_option( 'pulse_sync_bridge_secret' );
		// Not even a hint of the secret: a bridge gets it by pairing.
		$this->assertSame( array( 'siteUrl' => untrailingslashit( home_url() ) ), $config['bridge'] );
		$this->assertStringNotContainsString( substr( $secret, 0, 12 ), (string) wp_json_encode( $config ) );
		$this->assertStringNotContainsString( $secret, (string) wp_json_encode( $config ) );
		$this->assertStringNotContainsString( (string) get_option( 'pulse_sync_access_key' ), (string) wp_json_encode( $config ) );
	}

	/**
	 * Admin page renders the root element for administrators.
	 */
	public function test_admin_page_renders_the_root_element_for_administrators(): void {
		$login = $this->admin_login();
		$page  = $this->http( 'GET', '/wp-admin/admin.php?page=pulse-sync', null, array( 'Cookie' => $login ) );
		$this->assertSame( 200, $page['status'] );
		$this->assertStringContainsString( '<div id="pulse-sync-admin"></div>', $page['body'] );
		if ( is_readable( PULSE_SYNC_DIR . 'build/index.js' ) ) {
			$this->assertStringContainsString( 'window.pulseSyncAdmin = ', $page['body'] );
			$this->assertStringContainsString( 'build/index.js', $page['body'] );
		} else {
			$this->assertStringContainsString( 'The Pulse Sync panel is not built', $page['body'] );
		}
	}

	/**
	 * Logs the stack's administrator in over HTTP.
	 *
	 * @return string Cookie header.
	 */
	private function admin_login(): string {
		$curl = curl_init( $this->stack()['siteUrl'] . '/wp-login.php' );
		curl_setopt_array(
			$curl,
			array(
				CURLOPT_POST           => true,
				CURLOPT_POSTFIELDS     => http_build_query( array( 'log' => $this->stack()['adminUser'], 'pwd' => $this->stack()['adminPassword'], 'testcookie' => '1' ) ),
				CURLOPT_HTTPHEADER     => array( 'Cookie: wordpress_test_cookie=WP%20Cookie%20check' ),
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_HEADER         => true,
			)
		);
		$response = (string) curl_exec( $curl );
		curl_close( $curl );
		preg_match_all( '/^Set-Cookie:\s*([^;]+)/mi', $response, $matches );
		$this->assertNotEmpty( $matches[1], 'The stack admin could not log in.' );
		return implode( '; ', $matches[1] );
	}
}
