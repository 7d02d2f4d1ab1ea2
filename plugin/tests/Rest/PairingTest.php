<?php
/**
 * Pairing a bridge with a one-time code: the code route, the exchange, the rotation overlap,
 * the paired state and "last seen", over HTTP against the stack's real WordPress.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Rest;

use PulseSync\Activator;
use PulseSync\Bridge\BridgeUrl;
use PulseSync\Bridge\PairedBridge;
use PulseSync\Bridge\Pairing;
use PulseSync\Bridge\PairingCode;
use PulseSync\Settings;
use PulseSync\Support\Throttle;
use PulseSync\Tests\Support\PluginTestCase;
use PulseSync\Uninstaller;
use PulseSync\Webhook\Spool;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Rest\PairingController
 * @covers \PulseSync\Bridge\PairingCode
 * @covers \PulseSync\Bridge\Pairing
 * @covers \PulseSync\Bridge\PairedBridge
 */
class PairingTest extends PluginTestCase {

	private const CODE_ROUTE     = '/wp-json/pulse-sync/v1/pairing/code';
	private const EXCHANGE_ROUTE = '/wp-json/pulse-sync/v1/pairing/exchange';
	private const CODE_PATTERN   = '/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/';

	/**
	 * Options the pairing writes that the base class does not restore.
	 */
	private const PAIRING_OPTIONS = array(
		Pairing::PREVIOUS_SECRET_OPTION,
		PairingCode::OPTION,
		BridgeUrl::PAIRED_OPTION,
		PairedBridge::PAIRING_OPTION,
		PairedBridge::LAST_SEEN_OPTION,
	);

	/**
	 * Saved values of PAIRING_OPTIONS.
	 *
	 * @var array<string,mixed>
	 */
	private array $saved = array();

	/**
	 * Starts without an outstanding code or an earlier pairing.
	 */
	protected function setUp(): void {
		parent::setUp();
		foreach ( self::PAIRING_OPTIONS as $option ) {
			$this->saved[ $option ] = get_option( $option, null );
			delete_option( $option );
		}
	}

	/**
	 * Puts the pairing options back (the base class restores the secret and the settings).
	 */
	protected function tearDown(): void {
		wp_set_current_user( 0 );
		$this->fresh();
		foreach ( $this->saved as $option => $value ) {
			if ( null === $value ) {
				delete_option( $option );
			} else {
				update_option( $option, $value );
			}
		}
		parent::tearDown();
	}

	/**
	 * The code route answers only an administrator whose request carries the REST nonce.
	 */
	public function test_the_code_route_needs_manage_options_and_the_rest_nonce(): void {
		$this->assertSame( 401, $this->http( 'POST', self::CODE_ROUTE )['status'] );

		$admin = $this->cookie_session( 'administrator' );
		// A cookie without the nonce is not a logged-in request (cross-site request forgery).
		$this->assertSame( 401, $this->http( 'POST', self::CODE_ROUTE, null, array( 'Cookie' => $admin['cookie'] ) )['status'] );
		$forged = $this->http( 'POST', self::CODE_ROUTE, null, array( 'Cookie' => $admin['cookie'], 'X-WP-Nonce' => 'not-the-nonce' ) );
		$this->assertSame( 403, $forged['status'] );
		$this->assertSame( 'rest_cookie_invalid_nonce', $forged['json']['code'] );
		$this->assertFalse( get_option( PairingCode::OPTION ), 'No code may be issued without the nonce.' );

		$subscriber = $this->cookie_session( 'subscriber' );
		$this->assertSame( 403, $this->http( 'POST', self::CODE_ROUTE, null, array( 'Cookie' => $subscriber['cookie'], 'X-WP-Nonce' => $subscriber['nonce'] ) )['status'] );

		$before   = time();
		$response = $this->http( 'POST', self::CODE_ROUTE, null, array( 'Cookie' => $admin['cookie'], 'X-WP-Nonce' => $admin['nonce'] ) );
		$after    = time();
		$this->assertSame( 200, $response['status'], $response['body'] );
		// WordPress's own no-cache headers for logged-in requests win over the route's no-store.
		$this->assertMatchesRegularExpression( '/no-(store|cache)/', $response['headers']['cache-control'] ?? '' );
		$code = $response['json']['code'];
		$this->assertMatchesRegularExpression( self::CODE_PATTERN, $code );
		$expires = strtotime( $response['json']['expires_at'] );
		$this->assertGreaterThanOrEqual( $before + 900, $expires );
		$this->assertLessThanOrEqual( $after + 900, $expires );
		$this->assertSame( 'npx pulse-sync-bridge pair ' . untrailingslashit( home_url() ) . ' --code ' . $code, $response['json']['command'] );
		$this->assertStringNotContainsString( Pairing::secret(), $response['body'] );
	}

	/**
	 * 16 symbols of a 32-symbol alphabet (80 bits), every symbol used, stored only as a hash.
	 */
	public function test_the_code_carries_80_bits_and_is_stored_only_as_a_hash(): void {
		$codes   = array();
		$symbols = array();
		for ( $i = 0; $i < 300; $i++ ) {
			$code    = PairingCode::issue( time() )['code'];
			$codes[] = $code;
			$symbols = array_merge( $symbols, str_split( str_replace( '-', '', $code ) ) );
		}
		$this->assertCount( 300, array_unique( $codes ) );
		// 4 800 symbols: missing one of the 32 by chance has a probability below 1e-60.
		$this->assertCount( 32, array_unique( $symbols ), 'Each of the 16 symbols must carry 5 bits.' );

		global $wpdb;
		$raw = (string) $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", PairingCode::OPTION ) );
		$this->assertStringNotContainsString( end( $codes ), $raw );
		$this->assertStringNotContainsString( str_replace( '-', '', end( $codes ) ), $raw );
		$this->assertMatchesRegularExpression( '/[0-9a-f]{64}/', $raw );
		// 'off' since WordPress 6.6.
		$this->assertContains( $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", PairingCode::OPTION ) ), array( 'no', 'off' ) );
	}

	/**
	 * A code pairs once; the second use, and an older code replaced by a newer one, are refused.
	 */
	public function test_a_code_is_single_use(): void {
		$older = PairingCode::issue( time() )['code'];
		$code  = PairingCode::issue( time() )['code'];
		$this->assertExchangeRefused( 403, 'pulse_sync_invalid_pairing_code', $this->exchange( $older ) );

		$paired = $this->exchange( $code );
		$this->assertSame( 200, $paired['status'], $paired['body'] );
		$this->assertSame( 'no-store', $paired['headers']['cache-control'] ?? '' );
		$this->assertMatchesRegularExpression( '/^whsec_[A-Za-z0-9+\/]{43}=$/', $paired['json']['secret'] );
		$this->assertSame( Pairing::secret(), $paired['json']['secret'] );
		$this->assertSame( untrailingslashit( home_url() ), $paired['json']['site_url'] );

		$this->assertExchangeRefused( 403, 'pulse_sync_invalid_pairing_code', $this->exchange( $code ) );
		$this->assertSame( $paired['json']['secret'], Pairing::secret(), 'A refused exchange changes nothing.' );
	}

	/**
	 * Race: two bridges sending the same code at once; the code is spent by exactly one of them.
	 */
	public function test_two_exchanges_of_one_code_at_once_pair_one_bridge(): void {
		$code     = PairingCode::issue( time() )['code'];
		$statuses = $this->concurrent_exchanges( $code, 4 );
		sort( $statuses );
		$this->assertSame( array( 200, 403, 403, 403 ), $statuses );
	}

	/**
	 * A code 15 minutes old is refused.
	 */
	public function test_an_expired_code_is_refused(): void {
		$before = Pairing::secret();
		$code   = PairingCode::issue( time() - PairingCode::LIFETIME_SECONDS - 1 )['code'];
		$this->assertExchangeRefused( 403, 'pulse_sync_invalid_pairing_code', $this->exchange( $code ) );
		$this->assertSame( $before, Pairing::secret() );

		$fresh = PairingCode::issue( time() - PairingCode::LIFETIME_SECONDS + 60 )['code'];
		$this->assertSame( 200, $this->exchange( $fresh )['status'] );
	}

	/**
	 * The code is read the way Crockford base32 is: any case, dashes or not.
	 */
	public function test_the_code_is_accepted_in_lower_case_without_dashes(): void {
		$code = PairingCode::issue( time() )['code'];
		$this->assertSame( 200, $this->exchange( strtolower( str_replace( '-', '', $code ) ) )['status'] );
	}

	/**
	 * Brute force: five wrong codes from one address lock it out, even for the right code, which
	 * stays unspent for when the lockout ends.
	 */
	public function test_wrong_codes_are_throttled_like_the_access_key(): void {
		$code = PairingCode::issue( time() )['code'];
		for ( $i = 0; $i < 5; $i++ ) {
			$this->assertExchangeRefused( 403, 'pulse_sync_invalid_pairing_code', $this->exchange( sprintf( '0000-0000-0000-%04d', $i ) ) );
		}
		$locked = $this->exchange( $code );
		$this->assertExchangeRefused( 429, 'pulse_sync_pairing_throttled', $locked );
		$this->assertGreaterThan( 0, (int) ( $locked['headers']['retry-after'] ?? 0 ) );
		$this->assertLessThanOrEqual( 60, (int) $locked['headers']['retry-after'] );

		$this->forget_throttle();
		$this->assertSame( 200, $this->exchange( $code )['status'], 'The lockout must not have spent the code.' );
	}

	/**
	 * Rotation: during the overlap a signature with either secret is accepted; after it, only the new.
	 */
	public function test_rotation_keeps_the_old_secret_valid_for_the_overlap_and_not_after(): void {
		$old    = Pairing::secret();
		$before = time();
		$paired = $this->exchange( PairingCode::issue( time() )['code'] );
		$new    = $paired['json']['secret'];
		$this->assertNotSame( $old, $new );
		$until = strtotime( (string) $paired['json']['previous_secret_valid_until'] );
		$this->assertGreaterThanOrEqual( $before + Pairing::OVERLAP_SECONDS, $until );
		$this->assertLessThanOrEqual( time() + Pairing::OVERLAP_SECONDS, $until );

		$this->assertSame( 200, $this->signed_settings_request( $new )['status'] );
		$this->assertSame( 200, $this->signed_settings_request( $old )['status'], 'The old secret is valid during the overlap.' );
		$this->assertSame( array( $new, $old ), Pairing::active_secrets( $until - 1 ) );
		$this->assertSame( array( $new ), Pairing::active_secrets( $until ) );

		// The overlap is over.
		update_option( Pairing::PREVIOUS_SECRET_OPTION, array( 'secret' => $old, 'until' => time() - 1 ), false );
		$this->fresh();
		$this->assertSame( 401, $this->signed_settings_request( $old )['status'], 'The old secret is refused after the overlap.' );
		$this->assertSame( 200, $this->signed_settings_request( $new )['status'] );
		$this->assertNull( PairedBridge::summary( null )['previous_secret_valid_until'] );
	}

	/**
	 * Pairing again rotates again: the secret of the first pairing becomes the previous one.
	 */
	public function test_pairing_again_makes_the_first_pairings_secret_the_previous_one(): void {
		$first  = $this->exchange( PairingCode::issue( time() )['code'] )['json']['secret'];
		$second = $this->exchange( PairingCode::issue( time() )['code'] )['json']['secret'];
		$this->assertNotSame( $first, $second );
		$this->assertSame( array( $second, $first ), Pairing::active_secrets() );
	}

	/**
	 * The plugin → bridge direction signs with the new secret after a pairing.
	 */
	public function test_the_plugin_signs_with_the_new_secret_after_pairing(): void {
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/status', 200, array( 'version' => '0.2.0' ) );
		$paired = $this->exchange( PairingCode::issue( time() )['code'], $bridge->url() );
		$this->assertSame( 200, $paired['status'], $paired['body'] );
		\PulseSync\Bridge\Client::from_settings()->get( '/v1/status' );
		$requests = $bridge->requests();
		$request  = end( $requests );
		$headers  = array_change_key_case( $request['headers'], CASE_LOWER );
		$key      = base64_decode( substr( $paired['json']['secret'], strlen( 'whsec_' ) ) );
		$expected = base64_encode( hash_hmac( 'sha256', $headers['webhook-id'] . '.' . $headers['webhook-timestamp'] . '.', $key, true ) );
		$this->assertContains( 'v1,' . $expected, explode( ' ', $headers['webhook-signature'] ) );
	}

	/**
	 * SSRF: a bridge URL the bridge-URL rules refuse is 400 and does not spend the code.
	 *
	 * @dataProvider refused_bridge_urls
	 *
	 * @param mixed $url The bridge_url sent.
	 */
	public function test_a_refused_bridge_url_is_400_and_keeps_the_code( $url ): void {
		$code     = PairingCode::issue( time() )['code'];
		$settings = Settings::all();
		$this->assertExchangeRefused( 400, 'pulse_sync_invalid_pairing_request', $this->exchange( $code, $url ) );
		$this->assertSame( $settings, Settings::all() );
		$this->assertSame( '', PairedBridge::url() );
		$this->assertSame( 200, $this->exchange( $code )['status'] );
	}

	/**
	 * Bridge URLs the rules refuse.
	 *
	 * @return array<string,array{0:mixed}>
	 */
	public function refused_bridge_urls(): array {
		return array(
			'plain http to a public host'  => array( 'http://bridge.example:8787' ),
			'plain http to a private host' => array( 'http://10.0.0.5:8787' ),
			'plain http to a lookalike'    => array( 'http://127.0.0.1.evil.example' ),
			'another scheme'               => array( 'ftp://bridge.example' ),
			'user info'                    => array( 'https://user:pw@bridge.example' ),
			'a query'                      => array( 'https://bridge.example/?next=x' ),
			'a fragment'                   => array( 'https://bridge.example/#x' ),
			'not a URL'                    => array( 'bridge.example' ),
			'markup in the path'           => array( 'https://bridge.example/<script>' ),
			'not a string'                 => array( 8787 ),
			'missing'                      => array( null ),
		);
	}

	/**
	 * Malformed bodies are 400 with the contract's code, and leave the code unspent.
	 */
	public function test_a_malformed_body_is_400(): void {
		$code = PairingCode::issue( time() )['code'];
		foreach ( array( '{bad', '[]', '{"bridge_url":"https://b.example"}', '{"code":["x"],"bridge_url":"https://b.example"}', wp_json_encode( array( 'code' => $code, 'bridge_url' => 'https://b.example', 'bridge_version' => 2 ) ) ) as $body ) {
			$this->assertExchangeRefused( 400, 'pulse_sync_invalid_pairing_request', $this->http( 'POST', self::EXCHANGE_ROUTE, $body, array( 'Content-Type' => 'application/json' ) ) );
		}
		$this->assertSame( 200, $this->exchange( $code )['status'] );
	}

	/**
	 * A URL set by pairing is trusted even on a private address, and the Status route shows it.
	 *
	 * @dataProvider accepted_bridge_urls
	 *
	 * @param string $url Bridge URL.
	 */
	public function test_the_exchange_records_the_bridge_and_status_shows_it_paired( string $url ): void {
		$before = time();
		$this->assertSame( 200, $this->exchange( PairingCode::issue( time() )['code'], $url, '0.2.0' )['status'] );
		$this->assertSame( untrailingslashit( $url ), Settings::get( 'bridge_url' ) );
		$this->assertSame( untrailingslashit( $url ), get_option( BridgeUrl::PAIRED_OPTION ) );

		$summary = PairedBridge::summary( null );
		$this->assertTrue( $summary['paired'] );
		$this->assertSame( untrailingslashit( $url ), $summary['bridge_url'] );
		$this->assertSame( '0.2.0', $summary['version'] );
		$this->assertGreaterThanOrEqual( $before, strtotime( (string) $summary['paired_at'] ) );

		Settings::update( array( 'bridge_url' => 'https://another.example' ) );
		$this->assertFalse( PairedBridge::summary( null )['paired'], 'A bridge URL typed in later is not the paired bridge.' );
	}

	/**
	 * Bridge URLs the rules accept.
	 *
	 * @return array<string,array{0:string}>
	 */
	public function accepted_bridge_urls(): array {
		return array(
			'https to a private address' => array( 'https://10.0.0.5/bridge' ),
			'https to a public host'     => array( 'https://bridge.example/' ),
			'http to 127.0.0.0/8'        => array( 'http://127.0.0.5:8787' ),
			'http to localhost'          => array( 'http://localhost:8787' ),
			'http to ::1'                => array( 'http://[::1]:8787' ),
		);
	}

	/**
	 * The Status route reports the paired bridge with the version it last sent.
	 */
	public function test_status_reports_the_paired_bridge_and_when_it_was_last_seen(): void {
		$this->exchange( PairingCode::issue( time() )['code'], 'http://127.0.0.1:' . \PulseSync\Tests\Support\FakeBridge::free_port(), '0.2.0' );
		$body    = '';
		$headers = $this->signature_headers( $body, null, Pairing::secret() ) + array( PairedBridge::VERSION_HEADER => '0.2.1' );
		$this->assertSame( 200, $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/settings', null, $headers )['status'] );

		wp_set_current_user( $this->user_with_role( 'administrator' ) );
		$status = rest_do_request( new \WP_REST_Request( 'GET', '/pulse-sync/v1/status' ) )->get_data();
		$this->assertTrue( $status['pairing']['paired'] );
		$this->assertSame( '0.2.1', $status['pairing']['version'] );
		$this->assertIsString( $status['pairing']['last_seen_at'] );
		$this->assertStringNotContainsString( Pairing::secret(), (string) wp_json_encode( $status ) );
	}

	/**
	 * "Last seen" costs at most one option write a minute (or one when the version changes).
	 */
	public function test_last_seen_is_written_at_most_once_a_minute(): void {
		PairedBridge::record_seen( '0.2.0', 1000 );
		PairedBridge::record_seen( '0.2.0', 1059 );
		$this->assertSame( array( 'version' => '0.2.0', 'at' => 1000 ), get_option( PairedBridge::LAST_SEEN_OPTION ) );
		PairedBridge::record_seen( null, 1060 );
		$this->assertSame( array( 'version' => '0.2.0', 'at' => 1060 ), get_option( PairedBridge::LAST_SEEN_OPTION ), 'A request without the header keeps the version.' );
		PairedBridge::record_seen( '0.3.0', 1061 );
		$this->assertSame( array( 'version' => '0.3.0', 'at' => 1061 ), get_option( PairedBridge::LAST_SEEN_OPTION ) );
		PairedBridge::record_seen( '<script>', 2000 );
		$this->assertSame( '0.3.0', get_option( PairedBridge::LAST_SEEN_OPTION )['version'] );
	}

	/**
	 * Deleting the plugin removes every option pairing wrote.
	 *
	 * @covers \PulseSync\Uninstaller
	 */
	public function test_uninstall_removes_every_pairing_option(): void {
		$this->assertSame( 200, $this->exchange( PairingCode::issue( time() )['code'] )['status'] );
		$this->exchange( PairingCode::issue( time() )['code'] );
		PairedBridge::record_seen( '0.2.0', time() );
		PairingCode::issue( time() );
		foreach ( self::PAIRING_OPTIONS as $option ) {
			$this->assertNotFalse( get_option( $option ), $option );
		}
		try {
			// What uninstall.php runs (UninstallerTest goes through uninstall_plugin(), which works once a process).
			Uninstaller::uninstall();
			$this->fresh();
			foreach ( array_merge( self::PAIRING_OPTIONS, array( Pairing::SECRET_OPTION ) ) as $option ) {
				$this->assertFalse( get_option( $option ), $option );
			}
		} finally {
			// Put the plugin back as the stack had it; TestCase restores the secret and the settings.
			Activator::install();
			Spool::schedule();
		}
	}

	/**
	 * Sends `POST /pairing/exchange`.
	 *
	 * @param string      $code    Code.
	 * @param mixed       $url     bridge_url (null leaves it out).
	 * @param string|null $version bridge_version.
	 * @return array{status:int, headers:array<string,string>, body:string, json:mixed}
	 */
	private function exchange( string $code, $url = 'https://bridge.example', ?string $version = '0.2.0' ): array {
		$body = array( 'code' => $code );
		if ( null !== $url ) {
			$body['bridge_url'] = $url;
		}
		$body['bridge_version'] = $version;
		return $this->http( 'POST', self::EXCHANGE_ROUTE, (string) wp_json_encode( $body ), array( 'Content-Type' => 'application/json' ) );
	}

	/**
	 * Sends the same exchange several times at once; the HTTP statuses.
	 *
	 * @param string $code  Code.
	 * @param int    $times How many.
	 * @return int[]
	 */
	private function concurrent_exchanges( string $code, int $times ): array {
		$requests = array();
		for ( $i = 0; $i < $times; $i++ ) {
			$requests[] = array(
				'method'  => 'POST',
				'path'    => self::EXCHANGE_ROUTE,
				'body'    => (string) wp_json_encode( array( 'code' => $code, 'bridge_url' => "https://bridge-{$i}.example" ) ),
				'headers' => array( 'Content-Type' => 'application/json' ),
			);
		}
		return array_column( $this->http_at_once( $requests ), 'status' );
	}

	/**
	 * A signed `GET /bridge/settings` with one secret.
	 *
	 * @param string $secret Secret.
	 * @return array{status:int, headers:array<string,string>, body:string, json:mixed}
	 */
	private function signed_settings_request( string $secret ): array {
		return $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/settings', null, $this->signature_headers( '', null, $secret ) );
	}

	/**
	 * Asserts a refused exchange: status, code, and no secret in the answer.
	 *
	 * @param int    $status   Expected status.
	 * @param string $code     Expected error code.
	 * @param array  $response Response from http().
	 * @return void
	 */
	private function assertExchangeRefused( int $status, string $code, array $response ): void {
		$this->assertSame( $status, $response['status'], $response['body'] );
		$this->assertSame( $code, $response['json']['code'] ?? null, $response['body'] );
		$this->assertStringNotContainsString( 'whsec_', $response['body'] );
	}

	/**
	 * Forgets every address's throttle record.
	 *
	 * @return void
	 */
	private function forget_throttle(): void {
		global $wpdb;
		$wpdb->query( 'DELETE FROM ' . Throttle::table() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- the plugin's own table.
		$this->fresh();
	}

	/**
	 * A new user with a role.
	 *
	 * @param string $role Role.
	 * @return int User id.
	 */
	private function user_with_role( string $role ): int {
		return (int) wp_insert_user( array( 'user_login' => $role . wp_rand(), 'user_pass' => wp_generate_password(), 'role' => $role ) );
	}

	/**
	 * A logged-in browser session of a new user: its cookie and its REST nonce.
	 *
	 * @param string $role Role.
	 * @return array{cookie:string,nonce:string}
	 */
	private function cookie_session( string $role ): array {
		$user_id    = $this->user_with_role( $role );
		$expiration = time() + HOUR_IN_SECONDS;
		$token      = \WP_Session_Tokens::get_instance( $user_id )->create( $expiration );
		$cookie     = wp_generate_auth_cookie( $user_id, $expiration, 'logged_in', $token );
		// The nonce is bound to the session token, which WordPress reads from this cookie.
		$_COOKIE[ LOGGED_IN_COOKIE ] = $cookie;
		wp_set_current_user( $user_id );
		$nonce = wp_create_nonce( 'wp_rest' );
		unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
		wp_set_current_user( 0 );
		return array(
			'cookie' => LOGGED_IN_COOKIE . '=' . rawurlencode( $cookie ),
			'nonce'  => $nonce,
		);
	}
}
