<?php
/**
 * The panel's import routes: capability, nonce, validation, and the pass-through to the bridge.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Rest;

use PulseSync\Settings;
use PulseSync\Tests\Support\PluginTestCase;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Rest\ImportsController
 */
class ImportsControllerTest extends PluginTestCase {

	/**
	 * Undoes what the test changed.
	 */
	protected function tearDown(): void {
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * Every import route.
	 *
	 * @return array<string,array{0:string,1:string}>
	 */
	public function import_routes(): array {
		return array(
			'GET imports'     => array( 'GET', '/imports' ),
			'POST imports'    => array( 'POST', '/imports' ),
			'GET preview'     => array( 'GET', '/imports/preview?tag_id=1' ),
			'GET run'         => array( 'GET', '/imports/7' ),
			'POST pause'      => array( 'POST', '/imports/7/pause' ),
			'POST resume'     => array( 'POST', '/imports/7/resume' ),
			'POST cancel'     => array( 'POST', '/imports/7/cancel' ),
		);
	}

	/**
	 * @dataProvider import_routes
	 *
	 * @param string $method Method.
	 * @param string $route  Route.
	 */
	public function test_anonymous_callers_get_401_and_the_bridge_hears_nothing( string $method, string $route ): void {
		$bridge   = $this->start_fake_bridge();
		$response = $this->http( $method, '/wp-json/pulse-sync/v1' . $route, 'POST' === $method ? '{"kind":"resync"}' : null, array( 'Content-Type' => 'application/json' ) );
		$this->assertSame( 401, $response['status'], $response['body'] );
		$this->assertSame( array(), $bridge->requests() );
	}

	/**
	 * @dataProvider import_routes
	 *
	 * @param string $method Method.
	 * @param string $route  Route.
	 */
	public function test_subscribers_get_403( string $method, string $route ): void {
		wp_set_current_user( (int) wp_insert_user( array( 'user_login' => 'sub' . wp_rand(), 'user_pass' => wp_generate_password(), 'role' => 'subscriber' ) ) );
		$this->assertSame( 403, $this->rest( $method, $route, array( 'kind' => 'resync' ) )->get_status() );
	}

	/**
	 * Attack: a page the administrator visits posts to the import route with the login cookie
	 * but without the REST nonce; WordPress does not count the cookie, so nothing starts.
	 */
	public function test_starting_an_import_needs_the_rest_nonce_with_a_login_cookie(): void {
		$admin_id = (int) wp_insert_user( array( 'user_login' => 'imp' . wp_rand(), 'user_email' => 'imp' . wp_rand() . '@example.test', 'user_pass' => wp_generate_password(), 'role' => 'administrator' ) );
		$expires  = time() + HOUR_IN_SECONDS;
		$token    = \WP_Session_Tokens::get_instance( $admin_id )->create( $expires );
		$cookie   = wp_generate_auth_cookie( $admin_id, $expires, 'logged_in', $token );
		$bridge   = $this->start_fake_bridge();
		$headers  = array(
			'Cookie'       => LOGGED_IN_COOKIE . '=' . rawurlencode( $cookie ),
			'Content-Type' => 'application/json',
		);
		$this->assertSame( 401, $this->http( 'POST', '/wp-json/pulse-sync/v1/imports', '{"kind":"resync"}', $headers )['status'] );
		$this->assertSame( 403, $this->http( 'POST', '/wp-json/pulse-sync/v1/imports', '{"kind":"resync"}', $headers + array( 'X-WP-Nonce' => 'abcdef1234' ) )['status'] );
		$this->assertSame( array(), $bridge->requests() );
	}

	/**
	 * The routes pass the bridge's answers and errors through, with the request as the bridge's contract says.
	 */
	public function test_routes_relay_to_the_bridge(): void {
		$this->as_admin();
		$bridge = $this->start_fake_bridge();
		$run    = array(
			'id'    => 7,
			'kind'  => 'import',
			'state' => 'running',
		);
		$bridge->answer( '/v1/imports', 201, $run );
		$bridge->answer( '/v1/imports/preview', 200, array( 'tag_id' => 3, 'contacts' => 40 ) );
		$bridge->answer( '/v1/imports/7/pause', 409, array( 'error' => 'import_state', 'message' => 'Run 7 is paused.' ) );

		$started = $this->rest( 'POST', '/imports', array( 'kind' => 'import', 'tag_id' => 3, 'send_notification' => true ) );
		$this->assertSame( 201, $started->get_status() );
		$this->assertSame( $run, $started->get_data() );
		$requests = $bridge->requests();
		$this->assertSame( 'POST', end( $requests )['method'] );
		$this->assertSame(
			array( 'kind' => 'import', 'tag_id' => 3, 'role' => '', 'send_notification' => true ),
			json_decode( end( $requests )['body'], true )
		);

		$this->assertSame( 40, $this->rest( 'GET', '/imports/preview', array( 'tag_id' => 3 ) )->get_data()['contacts'] );
		$requests = $bridge->requests();
		$this->assertSame( '/v1/imports/preview?tag_id=3', end( $requests )['uri'] );

		$refused = $this->rest( 'POST', '/imports/7/pause' );
		$this->assertSame( 409, $refused->get_status() );
		$this->assertSame( 'import_state', $refused->as_error()->get_error_code() );
	}

	/**
	 * Bad input: a clear 400 and the bridge is never asked.
	 *
	 * @dataProvider invalid_starts
	 *
	 * @param array $body Request body.
	 */
	public function test_invalid_starts_are_400_and_reach_no_bridge( array $body ): void {
		$this->as_admin();
		$bridge = $this->start_fake_bridge();
		$this->assertSame( 400, $this->rest( 'POST', '/imports', $body )->get_status() );
		$this->assertSame( array(), $bridge->requests() );
	}

	/**
	 * Bodies the route refuses.
	 *
	 * @return array<string,array{0:array}>
	 */
	public function invalid_starts(): array {
		return array(
			'no kind'            => array( array( 'tag_id' => 3 ) ),
			'unknown kind'       => array( array( 'kind' => 'everything' ) ),
			'import without tag' => array( array( 'kind' => 'import' ) ),
			'tag id zero'        => array( array( 'kind' => 'import', 'tag_id' => 0 ) ),
			'a role not allowed' => array( array( 'kind' => 'import', 'tag_id' => 3, 'role' => 'administrator' ) ),
			'welcome not a flag' => array( array( 'kind' => 'import', 'tag_id' => 3, 'send_notification' => 'maybe' ) ),
		);
	}

	/**
	 * The reconciliation settings are validated and reach the bridge through the signed settings route.
	 */
	public function test_reconciliation_settings_are_validated_and_reach_the_bridge(): void {
		$this->as_admin();
		foreach ( array( array( 'reconcile_tag_ids' => array( 0 ) ), array( 'reconcile_tag_ids' => 'three' ), array( 'reconcile_enabled' => 'yes' ) ) as $bad ) {
			$this->assertSame( 400, $this->rest( 'POST', '/settings', $bad )->get_status() );
		}
		$this->assertFalse( Settings::get( 'reconcile_enabled' ), 'Off by default, and a refused change changes nothing.' );
		$this->assertSame( 200, $this->rest( 'POST', '/settings', array( 'reconcile_enabled' => true, 'reconcile_tag_ids' => array( 4, 2, 4 ) ) )->get_status() );
		$served = $this->signed_rest( 'GET', '/bridge/settings' );
		$this->assertSame( array( 'enabled' => true, 'tag_ids' => array( 4, 2 ) ), $served['json']['reconcile'] );
	}

	/**
	 * Logs in as a new administrator.
	 *
	 * @return void
	 */
	private function as_admin(): void {
		wp_set_current_user( (int) wp_insert_user( array( 'user_login' => 'adm' . wp_rand(), 'user_pass' => wp_generate_password(), 'role' => 'administrator' ) ) );
	}

	/**
	 * Dispatches a REST request in this process.
	 *
	 * @param string $method Method.
	 * @param string $route  Route, with a query for GET.
	 * @param array  $params JSON body (POST).
	 * @return \WP_REST_Response
	 */
	private function rest( string $method, string $route, array $params = array() ): \WP_REST_Response {
		$parts   = explode( '?', $route, 2 );
		$request = new \WP_REST_Request( $method, '/pulse-sync/v1' . $parts[0] );
		if ( 'GET' === $method ) {
			parse_str( $parts[1] ?? '', $query );
			$request->set_query_params( $query + $params );
		} else {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( (string) wp_json_encode( (object) $params ) );
		}
		return rest_do_request( $request );
	}
}
