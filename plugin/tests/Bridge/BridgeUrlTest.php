<?php
/**
 * The bridge-URL rule and the SSRF it closes (issue 11, item 5).
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Bridge;

use PulseSync\Bridge\BridgeUnavailable;
use PulseSync\Bridge\BridgeUrl;
use PulseSync\Bridge\Client;
use PulseSync\HttpError;
use PulseSync\Rest\StatusController;
use PulseSync\Settings;
use PulseSync\Tests\Support\PluginTestCase;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Bridge\BridgeUrl
 * @covers \PulseSync\Bridge\Client
 * @covers \PulseSync\Settings
 * @covers \PulseSync\Rest\StatusController
 */
class BridgeUrlTest extends PluginTestCase {

	/**
	 * Requests WordPress was asked to send during the test: URL and arguments.
	 *
	 * @var array<int,array{url:string,args:array<string,mixed>}>
	 */
	private array $sent = array();

	/**
	 * Records every outgoing request (without answering it).
	 */
	protected function setUp(): void {
		parent::setUp();
		add_filter( 'pre_http_request', array( $this, 'record' ), 10, 3 );
	}

	/**
	 * Undoes what the test changed.
	 */
	protected function tearDown(): void {
		remove_filter( 'pre_http_request', array( $this, 'record' ), 10 );
		remove_filter( 'pre_http_request', array( $this, 'short_circuit' ), 20 );
		delete_option( BridgeUrl::PAIRED_OPTION );
		parent::tearDown();
	}

	/**
	 * `pre_http_request` observer.
	 *
	 * @param false|array|\WP_Error $pre  Earlier short-circuit.
	 * @param array<string,mixed>   $args Request arguments.
	 * @param string                $url  URL.
	 * @return false|array|\WP_Error Unchanged.
	 */
	public function record( $pre, $args, $url ) {
		$this->sent[] = array(
			'url'  => $url,
			'args' => $args,
		);
		return $pre;
	}

	/**
	 * `pre_http_request` answer for hosts that cannot be reached from this machine.
	 *
	 * @return \WP_Error
	 */
	public function short_circuit(): \WP_Error {
		return new \WP_Error( 'pulse_sync_test_not_sent', 'not sent by the test' );
	}

	/**
	 * Accepted bridge URLs and their normal form.
	 *
	 * @return array<string,array{0:string,1:string}>
	 */
	public function accepted(): array {
		return array(
			'loopback IPv4'          => array( 'http://127.0.0.1:8787', 'http://127.0.0.1:8787' ),
			'anywhere in 127/8'      => array( 'http://127.3.4.5:8787/', 'http://127.3.4.5:8787' ),
			'IPv6 loopback'          => array( 'http://[::1]:8787', 'http://[::1]:8787' ),
			'localhost'              => array( 'http://LOCALHOST:8787', 'http://LOCALHOST:8787' ),
			'https with a path'      => array( 'https://bridge.example.com/pulse/', 'https://bridge.example.com/pulse' ),
			'https private by rule'  => array( 'https://10.0.0.5:8787', 'https://10.0.0.5:8787' ),
		);
	}

	/**
	 * The rule accepts loopback http and any https, with a path.
	 *
	 * @dataProvider accepted
	 *
	 * @param string $url   Raw URL.
	 * @param string $clean Expected normal form.
	 */
	public function test_the_rule_accepts( string $url, string $clean ): void {
		$this->assertSame( $clean, BridgeUrl::validate( $url ) );
	}

	/**
	 * Refused bridge URLs.
	 *
	 * @return array<string,array{0:string}>
	 */
	public function refused(): array {
		return array(
			'query'                   => array( 'https://bridge.example.com/?x=1' ),
			'empty query'             => array( 'https://bridge.example.com/?' ),
			'fragment'                => array( 'https://bridge.example.com/#status' ),
			'user info'               => array( 'https://user:pass@bridge.example.com' ),
			'user name only'          => array( 'https://user@bridge.example.com' ),
			'http to another host'    => array( 'http://bridge.example.com:8787' ),
			'http to a private host'  => array( 'http://10.0.0.5:8787' ),
			'http to cloud metadata'  => array( 'http://169.254.169.254/latest/meta-data' ),
			'http to localhost.evil'  => array( 'http://localhost.evil.example:8787' ),
			'another scheme'          => array( 'ftp://127.0.0.1' ),
			'relative'                => array( '/v1/status' ),
			'spaces inside'           => array( 'https://bridge.example.com/a b' ),
			'newline inside'          => array( "https://bridge.example.com/\nx" ),
		);
	}

	/**
	 * The rule refuses query, fragment, user info and plain http off this machine.
	 *
	 * @dataProvider refused
	 *
	 * @param string $url Raw URL.
	 */
	public function test_the_rule_refuses( string $url ): void {
		$result = BridgeUrl::validate( $url );
		$this->assertWPError( $result );
		$this->assertSame( 'pulse_sync_invalid_bridge_url', $result->get_error_code() );
		$this->assertSame( 400, $result->get_error_data()['status'] );
	}

	/**
	 * Loopback means 127.0.0.0/8, ::1 and localhost only.
	 */
	public function test_is_loopback(): void {
		$this->assertTrue( BridgeUrl::is_loopback( 'http://127.0.0.1:8787' ) );
		$this->assertTrue( BridgeUrl::is_loopback( 'http://127.255.0.9' ) );
		$this->assertTrue( BridgeUrl::is_loopback( 'http://[::1]:8787' ) );
		$this->assertTrue( BridgeUrl::is_loopback( 'http://[0:0:0:0:0:0:0:1]:8787' ) );
		$this->assertTrue( BridgeUrl::is_loopback( 'http://localhost.:8787' ) );
		$this->assertFalse( BridgeUrl::is_loopback( 'http://128.0.0.1' ) );
		$this->assertFalse( BridgeUrl::is_loopback( 'http://[::2]' ) );
		$this->assertFalse( BridgeUrl::is_loopback( 'http://127.0.0.1.evil.example' ) );
		$this->assertFalse( BridgeUrl::is_loopback( 'http://2130706433' ) );
	}

	/**
	 * The owner cannot point the bridge at the cloud metadata endpoint, in any spelling.
	 */
	public function test_bridge_url_pointing_at_cloud_metadata_is_refused(): void {
		$before = Settings::get( 'bridge_url' );
		$spellings = array(
			'http://169.254.169.254/latest/meta-data',
			'https://169.254.169.254/latest/meta-data',
			// 169.254.169.254 written as one number: WordPress's own wp_http_validate_url() lets it through.
			'https://2852039166/latest/meta-data',
			'https://[::ffff:169.254.169.254]/latest/meta-data',
			'https://[fe80::a9fe:a9fe]/latest/meta-data',
		);
		foreach ( $spellings as $url ) {
			$this->assertSettingRefused( $url );
		}
		$this->assertSame( $before, Settings::get( 'bridge_url' ) );
		$this->assertSame( array(), $this->sent, 'no request left the site' );
	}

	/**
	 * Hand-set private addresses are refused; the paired bridge's URL is not.
	 */
	public function test_bridge_url_at_a_private_address_is_refused_unless_paired(): void {
		foreach ( array( 'https://10.0.0.5:8787', 'https://192.168.1.20', 'https://172.16.0.1', 'https://100.64.0.1', 'https://[fd00::5]' ) as $url ) {
			$this->assertWPError( BridgeUrl::validate_setting( $url ), $url );
		}
		$this->assertSame( 'https://10.0.0.5:8787', BridgeUrl::trust_paired( 'https://10.0.0.5:8787/' ) );
		Settings::update( array( 'bridge_url' => 'https://10.0.0.5:8787' ) );
		$this->assertSame( 'https://10.0.0.5:8787', Settings::get( 'bridge_url' ) );
		// Pairing trusts that one URL, not its neighbours.
		$this->assertWPError( BridgeUrl::validate_setting( 'https://10.0.0.6:8787' ) );
		$this->assertWPError( BridgeUrl::validate_setting( 'https://10.0.0.5:8788' ) );
		$this->assertWPError( BridgeUrl::trust_paired( 'https://10.0.0.5/?x=1' ) );
		$this->assertSame( 'https://10.0.0.5:8787', get_option( BridgeUrl::PAIRED_OPTION ) );
	}

	/**
	 * Plain http to another host (the wp-env bridge on the Docker host) only where the site allows
	 * it (constant PULSE_SYNC_ALLOW_HTTP_BRIDGE, or the filter); never by default.
	 */
	public function test_plain_http_to_another_host_only_where_the_site_allows_it(): void {
		$url = 'http://host.docker.internal:8787';
		$this->assertInstanceOf( \WP_Error::class, BridgeUrl::validate( $url ) );
		add_filter( 'pulse_sync_allow_http_bridge', '__return_true' );
		try {
			$this->assertSame( $url, BridgeUrl::validate( $url ) );
		} finally {
			remove_filter( 'pulse_sync_allow_http_bridge', '__return_true' );
		}
		$this->assertInstanceOf( \WP_Error::class, BridgeUrl::validate( $url ) );
	}

	/**
	 * The owner cannot send a query string to the bridge through its URL.
	 */
	public function test_bridge_url_with_query_is_refused(): void {
		$before = Settings::all();
		foreach ( array( 'http://127.0.0.1:8787/?redirect=http://169.254.169.254', 'http://127.0.0.1:8787/#frag', 'https://user:pw@bridge.example.com' ) as $url ) {
			$this->assertSettingRefused( $url );
		}
		$this->assertSame( $before, Settings::all() );
	}

	/**
	 * A bridge URL stored before this rule (or by other code) pointing at a private address is
	 * not fetched: the Status screen says why instead of showing what answered.
	 */
	public function test_status_screen_does_not_fetch_a_stored_private_bridge_url(): void {
		$settings               = Settings::all();
		$settings['bridge_url'] = 'https://2852039166/latest/meta-data';
		update_option( Settings::OPTION, $settings );

		$data = ( new StatusController() )->get_status()->get_data();
		$this->assertFalse( $data['bridge']['reachable'] );
		$this->assertNull( $data['bridge']['status'] );
		$this->assertStringContainsString( 'private or reserved address', $data['bridge']['error'] );
		$this->assertSame( array(), $this->sent, 'no request left the site' );
	}

	/**
	 * A hand-set public bridge goes through wp_safe_remote_request without redirects; loopback
	 * and the paired bridge are requested directly, also without redirects.
	 */
	public function test_requests_to_an_untrusted_bridge_are_safe_and_never_follow_redirects(): void {
		add_filter( 'pre_http_request', array( $this, 'short_circuit' ), 20 );
		// A public address written as such (this machine's resolver may answer private ones); the
		// short-circuit keeps the request from leaving.
		$urls = array(
			'https://93.184.215.14/bridge'      => true,
			'http://127.0.0.1:9'                => false,
			'https://10.0.0.5:8787'             => false,
		);
		BridgeUrl::trust_paired( 'https://10.0.0.5:8787' );
		foreach ( $urls as $base => $safe ) {
			$this->sent = array();
			try {
				( new Client( $base, array( 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' ) ) )->get( '/v1/status' );
				$this->fail( 'the short-circuit answer is an error' );
			} catch ( BridgeUnavailable $e ) {
				$this->assertStringEndsWith( 'not sent by the test', $e->getMessage() );
			}
			$this->assertCount( 1, $this->sent, $base );
			$this->assertSame( $base . '/v1/status', $this->sent[0]['url'] );
			$this->assertSame( $safe, $this->sent[0]['args']['reject_unsafe_urls'], $base );
			$this->assertSame( 0, $this->sent[0]['args']['redirection'], $base );
		}
	}

	/**
	 * The settings refuse this bridge URL with a 400.
	 *
	 * @param string $url Bridge URL.
	 */
	private function assertSettingRefused( string $url ): void {
		try {
			Settings::update( array( 'bridge_url' => $url ) );
			$this->fail( "accepted {$url}" );
		} catch ( HttpError $e ) {
			$this->assertSame( 400, $e->status(), $url );
			$this->assertSame( 'pulse_sync_invalid_setting', $e->error_code(), $url );
		}
	}

	/**
	 * A WP_Error.
	 *
	 * @param mixed  $actual  Value.
	 * @param string $message Message.
	 */
	private function assertWPError( $actual, string $message = '' ): void {
		$this->assertInstanceOf( \WP_Error::class, $actual, $message );
	}
}
