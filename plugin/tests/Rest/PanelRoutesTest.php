<?php
/**
 * The panel's REST routes: permissions, settings, access key, roles, status, proxying.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Rest;

use PulseSync\AccessKey;
use PulseSync\Bridge\Client;
use PulseSync\Settings;
use PulseSync\Settings\ClientSecret;
use PulseSync\Tests\Support\PluginTestCase;
use PulseSync\Webhook\Spool;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Rest\Controller
 * @covers \PulseSync\Rest\SettingsController
 * @covers \PulseSync\Rest\AccessKeyController
 * @covers \PulseSync\Rest\RolesController
 * @covers \PulseSync\Rest\StatusController
 * @covers \PulseSync\Rest\TestWebhookController
 * @covers \PulseSync\Rest\CrmController
 * @covers \PulseSync\Rest\DeliveriesController
 * @covers \PulseSync\Rest\DeliveryLinkController
 * @covers \PulseSync\Rest\SpoolController
 */
class PanelRoutesTest extends PluginTestCase {

	/**
	 * Undoes what the test changed.
	 */
	protected function tearDown(): void {
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * Every panel route.
	 *
	 * @return array<string,array{0:string,1:string}>
	 */
	public function panel_routes(): array {
		return array(
			'GET settings'        => array( 'GET', '/settings' ),
			'POST settings'       => array( 'POST', '/settings' ),
			'GET access-key'      => array( 'GET', '/access-key' ),
			'POST access-key'     => array( 'POST', '/access-key' ),
			'GET roles'           => array( 'GET', '/roles' ),
			'GET status'          => array( 'GET', '/status' ),
			'POST test-webhook'   => array( 'POST', '/test-webhook' ),
			'GET crm/fields'      => array( 'GET', '/crm/fields' ),
			'GET crm/tags'        => array( 'GET', '/crm/tags' ),
			'POST crm/connect'    => array( 'POST', '/crm/connect' ),
			'POST crm/disconnect' => array( 'POST', '/crm/disconnect' ),
			'GET deliveries'      => array( 'GET', '/deliveries' ),
			'GET delivery'        => array( 'GET', '/deliveries/msg_abc' ),
			'POST replay'         => array( 'POST', '/deliveries/msg_abc/replay' ),
			'GET link'            => array( 'GET', '/deliveries/msg_abc/link' ),
			'POST link'           => array( 'POST', '/deliveries/msg_abc/link' ),
			'GET spool/failed'    => array( 'GET', '/spool/failed' ),
			'POST spool replay'   => array( 'POST', '/spool/1/replay' ),
			'DELETE spool row'    => array( 'DELETE', '/spool/1' ),
		);
	}

	/**
	 * @dataProvider panel_routes
	 *
	 * @param string $method Method.
	 * @param string $route  Route.
	 */
	public function test_anonymous_callers_get_401_over_http( string $method, string $route ): void {
		$response = $this->http( $method, '/wp-json/pulse-sync/v1' . $route, 'POST' === $method ? '{}' : null, array( 'Content-Type' => 'application/json' ) );
		$this->assertSame( 401, $response['status'], $response['body'] );
		$this->assertStringNotContainsString( AccessKey::get(), $response['body'] );
	}

	/**
	 * @dataProvider panel_routes
	 *
	 * @param string $method Method.
	 * @param string $route  Route.
	 */
	public function test_subscribers_get_403( string $method, string $route ): void {
		wp_set_current_user( (int) wp_insert_user( array( 'user_login' => 'sub' . wp_rand(), 'user_pass' => wp_generate_password(), 'role' => 'subscriber' ) ) );
		$this->assertSame( 403, $this->rest( $method, $route )->get_status() );
	}

	/**
	 * Settings never expose secrets.
	 */
	public function test_settings_never_expose_secrets(): void {
		$this->as_admin();
		ClientSecret::set( 'super-secret-value' );
		$data = $this->rest( 'GET', '/settings' )->get_data();
		$this->assertTrue( $data['crm_client_secret_set'] );
		$encoded = (string) wp_json_encode( $data );
		$this->assertStringNotContainsString( 'super-secret-value', $encoded );
		$this->assertStringNotContainsString( AccessKey::get(), $encoded );
		$this->assertStringNotContainsString( (string) get_option( 'pulse_sync_bridge_secret' ), $encoded );
		$core = (string) wp_json_encode( $this->rest( 'GET', '/wp/v2/settings', array(), '' )->get_data() );
		$this->assertStringNotContainsString( 'super-secret-value', $core );
		$this->assertStringNotContainsString( 'pulse_sync', $core );
	}

	/**
	 * Settings update validates and keeps the secret write only.
	 */
	public function test_settings_update_validates_and_keeps_the_secret_write_only(): void {
		$this->as_admin();
		$response = $this->rest( 'POST', '/settings', array( 'wait_budget_ms' => 5000, 'username_format' => 'firstlast', 'crm_client_secret' => 'new-secret', 'crm_client_secret_set' => false ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 5000, $response->get_data()['wait_budget_ms'] );
		$this->assertArrayNotHasKey( 'crm_client_secret', $response->get_data() );
		$this->assertSame( 'new-secret', ClientSecret::get() );
		$this->rest( 'POST', '/settings', array( 'crm_client_secret' => '' ) );
		$this->assertSame( 'new-secret', ClientSecret::get(), 'An empty secret field keeps the stored one.' );
	}

	/**
	 * @dataProvider invalid_settings
	 *
	 * @param array $changes Invalid changes.
	 */
	public function test_invalid_settings_are_400_and_change_nothing( array $changes ): void {
		$this->as_admin();
		$before   = Settings::all();
		$response = $this->rest( 'POST', '/settings', $changes );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( $before, Settings::all() );
	}

	/**
	 * WordPress validates the panel's settings against their schema before the route runs: a
	 * wrong type or enum is its 400, and OPTIONS shows the schema.
	 */
	public function test_settings_schema_lets_wordpress_refuse_wrong_types(): void {
		$this->as_admin();
		$before   = Settings::all();
		$response = $this->rest( 'POST', '/settings', array( 'wait_budget_ms' => 'soon', 'username_format' => 'random' ) );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( 'rest_invalid_param', $response->as_error()->get_error_code() );
		$this->assertSame( $before, Settings::all() );
		$schema = $this->rest( 'OPTIONS', '/settings' )->get_data()['schema'];
		$this->assertSame( array( 'email', 'firstlast', 'first_digits' ), $schema['properties']['username_format']['enum'] );
		$this->assertSame( 20000, $schema['properties']['wait_budget_ms']['maximum'] );
	}

	/**
	 * Invalid settings.
	 *
	 * @return array<string,array{0:array}>
	 */
	public function invalid_settings(): array {
		return array(
			'unknown key'                 => array( array( 'nope' => 1 ) ),
			'budget too large'            => array( array( 'wait_budget_ms' => 999999 ) ),
			'budget as string'            => array( array( 'wait_budget_ms' => '3000' ) ),
			'bridge url not http'         => array( array( 'bridge_url' => 'ftp://127.0.0.1' ) ),
			'administrator allowed'       => array( array( 'allowed_roles' => array( 'administrator' ) ) ),
			'editor as default'           => array( array( 'default_role' => 'editor' ) ),
			'unknown username format'     => array( array( 'username_format' => 'random' ) ),
			'mapping to capabilities'     => array( array( 'field_mapping' => array( array( 'wp' => 'wp_capabilities', 'crm' => 'role' ) ) ) ),
			'mapping with a repeated target' => array( array( 'field_mapping' => array( array( 'wp' => 'first_name', 'crm' => 'a' ), array( 'wp' => 'first_name', 'crm' => 'b' ) ) ) ),
			'crm field with markup'       => array( array( 'return_password_field' => '<b>x</b>' ) ),
			'welcome not boolean'         => array( array( 'always_send_welcome' => 'yes' ) ),
			'link by email not boolean'   => array( array( 'link_users_by_email' => 1 ) ),
			'role changes not boolean'    => array( array( 'change_roles_of_other_users' => 'true' ) ),
			'secret with spaces'          => array( array( 'crm_client_secret' => 'a b' ) ),
		);
	}

	/**
	 * Access key regenerate and paste.
	 */
	public function test_access_key_regenerate_and_paste(): void {
		$this->as_admin();
		$old = AccessKey::get();
		$new = $this->rest( 'POST', '/access-key', array( 'regenerate' => true ) )->get_data();
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $new['access_key'] );
		$this->assertNotSame( $old, $new['access_key'] );
		$this->assertFalse( $new['weak'] );

		$pasted = $this->rest( 'POST', '/access-key', array( 'key' => 'a1b2c3d4' ) )->get_data();
		$this->assertSame( array( 'access_key' => 'a1b2c3d4', 'weak' => true ), $pasted );
		$this->assertSame( $pasted, $this->rest( 'GET', '/access-key' )->get_data() );

		$this->assertSame( 400, $this->rest( 'POST', '/access-key', array( 'key' => 'short' ) )->get_status() );
		$this->assertSame( 400, $this->rest( 'POST', '/access-key', array( 'key' => '<script>alert(1)</script>' ) )->get_status() );
		$this->assertSame( 400, $this->rest( 'POST', '/access-key', array() )->get_status() );
	}

	/**
	 * Roles never offer privileged roles.
	 */
	public function test_roles_never_offer_privileged_roles(): void {
		$this->as_admin();
		Settings::update( array( 'allowed_roles' => array( 'subscriber' ) ) );
		$roles = $this->rest( 'GET', '/roles' )->get_data()['roles'];
		$slugs = array_column( $roles, 'slug' );
		$this->assertNotContains( 'administrator', $slugs );
		$this->assertNotContains( 'editor', $slugs );
		$allowed = array_column( $roles, 'allowed', 'slug' );
		$this->assertTrue( $allowed['subscriber'] );
		$this->assertFalse( $allowed['author'] );
	}

	/**
	 * Status when the bridge is away.
	 */
	public function test_status_when_the_bridge_is_away(): void {
		$this->as_admin();
		$this->point_bridge_at_closed_port();
		$data = $this->rest( 'GET', '/status' )->get_data();
		$this->assertFalse( $data['bridge']['reachable'] );
		$this->assertIsString( $data['bridge']['error'] );
		$this->assertNull( $data['bridge']['status'] );
		$this->assertSame( 0, $data['spool']['pending'] );
		$this->assertSame( 0, $data['spool']['failed'] );
		$this->assertSame( 50000, $data['spool']['max_rows'] );
	}

	/**
	 * A spooled delivery the bridge refused is listed, replayed and discarded from the panel.
	 */
	public function test_failed_spooled_deliveries_are_listed_replayed_and_discarded(): void {
		$this->as_admin();
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/deliveries', 400, array( 'error' => 'invalid_request', 'message' => 'Bad.' ) );
		foreach ( array( 'msg_one', 'msg_two' ) as $id ) {
			Spool::store( array( 'id' => $id, 'action' => 'update', 'contact_id' => 9, 'params' => array(), 'source_ip' => '127.0.0.1', 'received_at' => '2026-01-01T00:00:00Z', 'wait_ms' => 0 ) );
		}
		Spool::flush( Client::from_settings(), 10 );

		$this->assertSame( 2, $this->rest( 'GET', '/status' )->get_data()['spool']['failed'] );
		$list = $this->rest( 'GET', '/spool/failed' )->get_data();
		$this->assertSame( 2, $list['total'] );
		$this->assertSame( array( 'msg_two', 'msg_one' ), array_column( $list['items'], 'delivery_id' ) );
		$this->assertSame( 'HTTP 400 invalid_request: Bad.', $list['items'][0]['error'] );
		list( $two, $one ) = array_column( $list['items'], 'id' );

		$replayed = $this->rest( 'POST', "/spool/{$one}/replay" );
		$this->assertSame( 200, $replayed->get_status() );
		$this->assertSame( array( 'id' => $one, 'state' => 'pending' ), $replayed->get_data() );
		$this->assertSame( 1, Spool::count() );

		$this->assertSame( array( 'id' => $two, 'deleted' => true ), $this->rest( 'DELETE', "/spool/{$two}" )->get_data() );
		$this->assertSame( 0, Spool::count_failed() );

		$missing = $this->rest( 'POST', "/spool/{$two}/replay" );
		$this->assertSame( 404, $missing->get_status() );
		$this->assertSame( 'pulse_sync_spool_not_found', $missing->as_error()->get_error_code() );
		$this->assertSame( 404, $this->rest( 'DELETE', "/spool/{$one}" )->get_status(), 'A pending delivery is not discarded.' );
	}

	/**
	 * Status and deliveries are relayed from the bridge.
	 */
	public function test_status_and_deliveries_are_relayed_from_the_bridge(): void {
		$this->as_admin();
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/status', 200, array( 'version' => '0.1.0', 'queue' => array( 'pending' => 2 ), 'crm' => array( 'connected' => true ) ) );
		$bridge->answer( '/v1/deliveries', 200, array( 'items' => array(), 'total' => 0, 'page' => 2, 'per_page' => 10 ) );
		$bridge->answer( '/v1/deliveries/msg_nope', 404, array( 'error' => 'delivery_not_found', 'message' => 'No such delivery.' ) );

		$status = $this->rest( 'GET', '/status' )->get_data();
		$this->assertTrue( $status['bridge']['reachable'] );
		$this->assertSame( 2, $status['bridge']['status']['queue']['pending'] );

		$list = $this->rest( 'GET', '/deliveries', array( 'status' => 'failed', 'page' => 2, 'per_page' => 10, 'email' => 'a@b.test' ) );
		$this->assertSame( 200, $list->get_status() );
		$requests = $bridge->requests();
		// Sent exactly as signed: the canonical query, sorted (docs/architecture.md, "Signing").
		$this->assertSame( '/v1/deliveries?email=a%40b.test&page=2&per_page=10&status=failed', end( $requests )['uri'] );

		$missing = $this->rest( 'GET', '/deliveries/msg_nope' );
		$this->assertSame( 404, $missing->get_status() );
		$this->assertSame( 'delivery_not_found', $missing->as_error()->get_error_code() );

		$this->assertSame( 400, $this->rest( 'GET', '/deliveries', array( 'status' => 'bogus' ) )->get_status() );
	}

	/**
	 * Crm fields proxy passes refresh.
	 */
	public function test_crm_fields_proxy_passes_refresh(): void {
		$this->as_admin();
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/crm/fields', 200, array( 'fields' => array( array( 'key' => 'email', 'label' => 'Email' ) ) ) );
		$response = $this->rest( 'GET', '/crm/fields', array( 'refresh' => '1' ) );
		$this->assertSame( array( array( 'key' => 'email', 'label' => 'Email' ) ), $response->get_data()['fields'] );
		$requests = $bridge->requests();
		$this->assertSame( '/v1/crm/fields?refresh=1', end( $requests )['uri'] );
	}

	/**
	 * Regression (two owners of the CRM URL rules): Connect asks the bridge for the authorize
	 * URL, with this site's callback and a fresh state, and passes its answer on.
	 */
	public function test_crm_connect_asks_the_bridge_for_the_authorize_url(): void {
		$this->as_admin();
		Settings::update( array( 'crm_account_url' => 'http://127.0.0.1:8790', 'crm_client_id' => 'pulse-sync-demo' ) );
		ClientSecret::set( 'demo-secret' );
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/crm/authorize', 200, array( 'authorize_url' => 'http://127.0.0.1:8790/oauth/authorize?state=s' ) );
		$response = $this->rest( 'POST', '/crm/connect' );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( array( 'authorize_url' => 'http://127.0.0.1:8790/oauth/authorize?state=s' ), $response->get_data() );
		$requests = $bridge->requests();
		$sent     = json_decode( end( $requests )['body'], true );
		$this->assertSame( '/v1/crm/authorize', end( $requests )['uri'] );
		$this->assertSame( admin_url( 'admin.php?page=pulse-sync&pulse_sync_oauth=callback' ), $sent['redirect_uri'] );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $sent['state'] );
		$this->assertStringNotContainsString( 'demo-secret', end( $requests )['body'] );
	}

	/**
	 * Proxy routes say 502 when the bridge is away.
	 */
	public function test_proxy_routes_say_502_when_the_bridge_is_away(): void {
		$this->as_admin();
		$this->point_bridge_at_closed_port();
		$response = $this->rest( 'GET', '/crm/tags' );
		$this->assertSame( 502, $response->get_status() );
		$this->assertSame( 'pulse_sync_bridge_unavailable', $response->as_error()->get_error_code() );
	}

	/**
	 * Test webhook calls the site like the crm.
	 */
	public function test_test_webhook_calls_the_site_like_the_crm(): void {
		$this->as_admin();
		$data = $this->rest( 'POST', '/test-webhook' )->get_data();
		$this->assertSame( 200, $data['status'] );
		$this->assertTrue( $data['body']['success'] );
		$this->assertNull( $data['error'] );
	}

	/**
	 * A failed delivery as the bridge logs it.
	 *
	 * @param string $code       Error code.
	 * @param int    $contact_id Contact.
	 * @param string $email      Email the job recorded.
	 * @return array<string,mixed>
	 */
	private static function failed_delivery( string $code, int $contact_id, string $email ): array {
		return array(
			'id'         => 'msg_link',
			'action'     => 'add',
			'contact_id' => $contact_id,
			'email'      => $email,
			'state'      => 'failed',
			'error'      => array(
				'code'        => $code,
				'message'     => 'Refused.',
				'http_status' => 422,
			),
		);
	}

	/**
	 * The owner links a delivery refused as `user_linked_to_other_contact` to the user with its
	 * email; the delivery is then replayed through the bridge.
	 */
	public function test_link_by_hand_moves_the_link_and_replays_the_delivery(): void {
		$this->as_admin();
		$user_id = (int) wp_insert_user( array( 'user_login' => 'linked' . wp_rand(), 'user_email' => 'linked.user@example.test', 'user_pass' => wp_generate_password(), 'role' => 'subscriber' ) );
		update_user_meta( $user_id, 'pulsetech_contact_id', '7' );
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/deliveries/msg_link', 200, self::failed_delivery( 'user_linked_to_other_contact', 8, 'Linked.User@example.test' ) );
		$bridge->answer( '/v1/deliveries/msg_link/replay', 202, array( 'delivery_id' => 'msg_link', 'state' => 'queued' ) );

		$preview = $this->rest( 'GET', '/deliveries/msg_link/link' );
		$this->assertSame( 200, $preview->get_status() );
		$this->assertSame( 8, $preview->get_data()['contact_id'] );
		$this->assertSame( $user_id, $preview->get_data()['user']['id'] );
		$this->assertSame( 7, $preview->get_data()['linked_contact_id'] );
		$this->assertSame( '7', get_user_meta( $user_id, 'pulsetech_contact_id', true ), 'A preview changes nothing.' );

		$linked = $this->rest( 'POST', '/deliveries/msg_link/link' );
		$this->assertSame( 200, $linked->get_status() );
		$this->assertSame( array( 'delivery_id' => 'msg_link', 'state' => 'queued' ), $linked->get_data()['replay'] );
		$this->fresh();
		$this->assertSame( '8', get_user_meta( $user_id, 'pulsetech_contact_id', true ) );
		$requests = $bridge->requests();
		$last     = end( $requests );
		$this->assertSame( 'POST', $last['method'] );
		$this->assertSame( '/v1/deliveries/msg_link/replay', $last['path'] );
	}

	/**
	 * Only a delivery refused for its link can be linked, and never to a protected user: the
	 * route cannot be used to point any contact at any user.
	 */
	public function test_link_by_hand_refuses_other_failures_and_protected_users(): void {
		$this->as_admin();
		$admin_id = (int) wp_insert_user( array( 'user_login' => 'boss' . wp_rand(), 'user_email' => 'boss.link@example.test', 'user_pass' => wp_generate_password(), 'role' => 'administrator' ) );
		$user_id  = (int) wp_insert_user( array( 'user_login' => 'plain' . wp_rand(), 'user_email' => 'plain.link@example.test', 'user_pass' => wp_generate_password(), 'role' => 'subscriber' ) );
		$bridge   = $this->start_fake_bridge();

		$bridge->answer( '/v1/deliveries/msg_link', 200, self::failed_delivery( 'contact_not_found', 9, 'plain.link@example.test' ) );
		$refused = $this->rest( 'POST', '/deliveries/msg_link/link' );
		$this->assertSame( 409, $refused->get_status() );
		$this->assertSame( 'pulse_sync_not_linkable', $refused->as_error()->get_error_code() );

		$bridge->answer( '/v1/deliveries/msg_link', 200, self::failed_delivery( 'email_link_disabled', 9, 'boss.link@example.test' ) );
		$protected = $this->rest( 'POST', '/deliveries/msg_link/link' );
		$this->assertSame( 409, $protected->get_status() );
		$this->assertSame( 'pulse_sync_protected_user', $protected->as_error()->get_error_code() );

		$bridge->answer( '/v1/deliveries/msg_link', 200, self::failed_delivery( 'email_link_disabled', 9, 'nobody.link@example.test' ) );
		$this->assertSame( 'pulse_sync_no_user_for_email', $this->rest( 'POST', '/deliveries/msg_link/link' )->as_error()->get_error_code() );

		$this->fresh();
		$this->assertSame( '', get_user_meta( $user_id, 'pulsetech_contact_id', true ) );
		$this->assertSame( '', get_user_meta( $admin_id, 'pulsetech_contact_id', true ) );
		$this->assertNotContains( '/v1/deliveries/msg_link/replay', array_column( $bridge->requests(), 'path' ) );
	}

	/**
	 * The link route over HTTP with an administrator's login cookie: without the REST nonce the
	 * cookie does not count (401), with a wrong nonce WordPress refuses it (403), with the right
	 * one the route runs. A page the admin visits cannot make the browser link accounts.
	 */
	public function test_link_route_needs_the_rest_nonce_with_a_login_cookie(): void {
		$admin_id = (int) wp_insert_user( array( 'user_login' => 'nonce' . wp_rand(), 'user_email' => 'nonce' . wp_rand() . '@example.test', 'user_pass' => wp_generate_password(), 'role' => 'administrator' ) );
		$expires  = time() + HOUR_IN_SECONDS;
		$token    = \WP_Session_Tokens::get_instance( $admin_id )->create( $expires );
		$cookie   = wp_generate_auth_cookie( $admin_id, $expires, 'logged_in', $token );
		$headers  = array(
			'Cookie'       => LOGGED_IN_COOKIE . '=' . rawurlencode( $cookie ),
			'Content-Type' => 'application/json',
		);
		$route    = '/wp-json/pulse-sync/v1/deliveries/msg_link/link';
		$bridge   = $this->start_fake_bridge();
		$bridge->answer( '/v1/deliveries/msg_link', 200, self::failed_delivery( 'contact_not_found', 9, 'x@example.test' ) );

		$this->assertSame( 401, $this->http( 'POST', $route, '{}', $headers )['status'] );
		$this->assertSame( 403, $this->http( 'POST', $route, '{}', $headers + array( 'X-WP-Nonce' => 'abcdef1234' ) )['status'] );

		$_COOKIE[ LOGGED_IN_COOKIE ] = $cookie;
		wp_set_current_user( $admin_id );
		$nonce = wp_create_nonce( 'wp_rest' );
		unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
		$answer = $this->http( 'POST', $route, '{}', $headers + array( 'X-WP-Nonce' => $nonce ) );
		$this->assertSame( 409, $answer['status'], 'Past the nonce and the capability, the route itself answers: ' . $answer['body'] );
		$this->assertSame( 'pulse_sync_not_linkable', $answer['json']['code'] );
		$this->assertSame( array(), array_values( array_filter( $bridge->requests(), static fn( $request ) => 'POST' === $request['method'] ) ) );
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
	 * @param string $method    Method.
	 * @param string $route     Route.
	 * @param array  $params    Query (GET) or JSON body (POST).
	 * @param string $namespace Namespace prefix.
	 * @return \WP_REST_Response
	 */
	private function rest( string $method, string $route, array $params = array(), string $namespace = '/pulse-sync/v1' ): \WP_REST_Response {
		$request = new \WP_REST_Request( $method, $namespace . $route );
		if ( 'GET' === $method ) {
			$request->set_query_params( $params );
		} else {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( (string) wp_json_encode( (object) $params ) );
		}
		return rest_do_request( $request );
	}
}
