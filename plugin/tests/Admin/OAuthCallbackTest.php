<?php
/**
 * Tests for the CRM OAuth start and callback.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Admin;

use PulseSync\Admin\OAuthCallback;
use PulseSync\HttpError;
use PulseSync\Settings;
use PulseSync\Settings\ClientSecret;
use PulseSync\Tests\Support\PluginTestCase;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Admin\OAuthCallback
 */
class OAuthCallbackTest extends PluginTestCase {

	/**
	 * Starts each test from a known state.
	 */
	protected function setUp(): void {
		parent::setUp();
		wp_set_current_user( (int) wp_insert_user( array( 'user_login' => 'oauth' . wp_rand(), 'user_pass' => wp_generate_password(), 'role' => 'administrator' ) ) );
		Settings::update( array( 'crm_account_url' => 'http://127.0.0.1:8790', 'crm_portal_url' => '', 'crm_client_id' => 'pulse-sync-demo' ) );
		ClientSecret::set( 'demo-secret' );
	}

	/**
	 * Undoes what the test changed.
	 */
	protected function tearDown(): void {
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * Start stores a fresh state and asks for the callback as redirect; the secret stays here.
	 */
	public function test_start_gives_the_redirect_and_a_fresh_state(): void {
		$start = OAuthCallback::start();
		$this->assertSame( admin_url( 'admin.php?page=pulse-sync&pulse_sync_oauth=callback' ), $start['redirect_uri'] );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $start['state'] );
		$this->assertNotSame( $start['state'], OAuthCallback::start()['state'] );
		$this->assertStringNotContainsString( 'demo-secret', (string) wp_json_encode( $start ) );
	}

	/**
	 * Connect needs the crm settings.
	 */
	public function test_connect_needs_the_crm_settings(): void {
		delete_option( ClientSecret::OPTION );
		$this->expectException( HttpError::class );
		OAuthCallback::start();
	}

	/**
	 * A callback with a foreign state is refused and the bridge never called.
	 */
	public function test_a_callback_with_a_foreign_state_is_refused_and_the_bridge_never_called(): void {
		$bridge = $this->start_fake_bridge();
		OAuthCallback::start();
		$this->assertSame( 'crm_state_mismatch', OAuthCallback::finish( 'code-1', str_repeat( 'a', 32 ) ) );
		$this->assertSame( array(), $bridge->requests() );
	}

	/**
	 * The state works once and the code goes to the bridge.
	 */
	public function test_the_state_works_once_and_the_code_goes_to_the_bridge(): void {
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/crm/oauth/exchange', 200, array( 'connected' => true, 'account_url' => 'http://127.0.0.1:8790' ) );
		$query = OAuthCallback::start();
		$this->assertSame( 'crm_connected', OAuthCallback::finish( 'code-1', $query['state'] ) );
		$this->assertSame( 'crm_state_mismatch', OAuthCallback::finish( 'code-1', $query['state'] ) );
		$sent = json_decode( $bridge->requests()[0]['body'], true );
		$this->assertSame( array( 'code' => 'code-1', 'redirect_uri' => OAuthCallback::redirect_uri() ), $sent );
	}

	/**
	 * A failed exchange reports an error.
	 */
	public function test_a_failed_exchange_reports_an_error(): void {
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/crm/oauth/exchange', 400, array( 'error' => 'invalid_grant', 'message' => 'bad code' ) );
		$query = OAuthCallback::start();
		$this->assertSame( 'crm_error', OAuthCallback::finish( 'code-1', $query['state'] ) );
	}

	/**
	 * A declined consent is reported.
	 */
	public function test_a_declined_consent_is_reported(): void {
		$query = OAuthCallback::start();
		$this->assertSame( 'crm_denied', OAuthCallback::finish( '', $query['state'] ) );
	}
}
