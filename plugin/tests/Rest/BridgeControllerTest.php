<?php
/**
 * The signed routes the bridge calls, over real HTTP.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Rest;

use PulseSync\Bridge\Client;
use PulseSync\Bridge\Pairing;
use PulseSync\Bridge\SeenMessages;
use PulseSync\Bridge\Signature;
use PulseSync\Bridge\SignedRequest;
use PulseSync\Settings;
use PulseSync\Settings\ClientSecret;
use PulseSync\Settings\Revision;
use PulseSync\Tests\Support\PluginTestCase;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Rest\BridgeController
 */
class BridgeControllerTest extends PluginTestCase {

	/**
	 * One user write, as the bridge sends it.
	 *
	 * @param int    $contact_id Contact id.
	 * @param string $email      Email.
	 * @return array
	 */
	private static function user_write( int $contact_id, string $email ): array {
		return array(
			'delivery_id'        => 'msg_' . bin2hex( random_bytes( 16 ) ),
			'action'             => 'add',
			'contact_id'         => $contact_id,
			'email'              => $email,
			'user'               => array(
				'user_email' => $email,
				'first_name' => 'Con',
				'last_name'  => 'Current',
			),
			'meta'               => array(),
			'role'               => null,
			'tags'               => array( 3 ),
			'send_notification'  => false,
			'generated_password' => str_repeat( 'p', 20 ),
		);
	}

	/**
	 * The body of `POST /bridge/users`.
	 *
	 * @param array ...$writes User writes.
	 * @return array
	 */
	private static function batch( array ...$writes ): array {
		return array( 'writes' => $writes );
	}

	/**
	 * Sends a batch and checks the request itself succeeded.
	 *
	 * @param array ...$writes User writes.
	 * @return array<int,array> The results, in order.
	 */
	private function write_batch( array ...$writes ): array {
		$response = $this->signed_rest( 'POST', '/bridge/users', self::batch( ...$writes ) );
		$this->assertSame( 200, $response['status'], $response['body'] );
		$this->assertCount( count( $writes ), $response['json']['results'] );
		return $response['json']['results'];
	}

	/**
	 * Settings route gives the bridge what it needs; the portal as the owner typed it ('' here:
	 * the bridge derives it, the one owner of that rule).
	 */
	public function test_settings_route_gives_the_bridge_what_it_needs(): void {
		Settings::update( array( 'crm_account_url' => 'https://acme.thepulsespot.com', 'crm_portal_url' => '', 'crm_client_id' => 'client-1', 'return_password_enabled' => true, 'return_password_field' => 'custom_password' ) );
		ClientSecret::set( 'the-client-secret' );
		$response = $this->signed_rest( 'GET', '/bridge/settings' );
		$this->assertSame( 200, $response['status'], $response['body'] );
		$this->assertSame( Revision::current(), $response['json']['rev'] );
		$this->assertSame( array( 'enabled' => true, 'field' => 'custom_password' ), $response['json']['return_password'] );
		$this->assertSame(
			array(
				'account_url'   => 'https://acme.thepulsespot.com',
				'portal_url'    => '',
				'client_id'     => 'client-1',
				'client_secret' => 'the-client-secret',
			),
			$response['json']['crm']
		);
		$this->assertSame( array( 'wp' => 'user_email', 'crm' => 'email' ), $response['json']['field_mapping'][0] );
	}

	/**
	 * Every settings change bumps the rev.
	 */
	public function test_every_settings_change_bumps_the_rev(): void {
		$rev = Revision::current();
		Settings::update( array( 'wait_budget_ms' => 1234 ) );
		$this->assertSame( $rev + 1, Revision::current() );
		ClientSecret::set( 'another-secret' );
		$this->assertSame( $rev + 2, Revision::current() );
	}

	/**
	 * @dataProvider bad_signatures
	 *
	 * @param callable $headers Makes the headers from the body and the test case.
	 */
	public function test_unsigned_or_badly_signed_requests_get_401( callable $headers ): void {
		global $wpdb;
		$before = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->users}" );
		$body   = (string) wp_json_encode( self::batch( self::user_write( 31337, 'unsigned@example.test' ) ) );
		$response = $this->http( 'POST', '/wp-json/pulse-sync/v1/bridge/users', $body, $headers( $body, $this ) );
		$this->assertSame( 401, $response['status'], $response['body'] );
		$this->assertSame( 'pulse_sync_invalid_signature', $response['json']['code'] );
		$this->assertSame( $before, (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->users}" ) );
		$this->assertSame( 401, $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/settings', null, $headers( '', $this ) )['status'] );
	}

	/**
	 * An unsigned request hears 401 even when its body is not JSON.
	 */
	public function test_unsigned_invalid_json_is_401_not_400(): void {
		$response = $this->http( 'POST', '/wp-json/pulse-sync/v1/bridge/users', '{bad', array( 'Content-Type' => 'application/json' ) );
		$this->assertSame( 401, $response['status'] );
		$signed = $this->http( 'POST', '/wp-json/pulse-sync/v1/bridge/users', '{bad', $this->signature_headers( '{bad' ) );
		$this->assertSame( 400, $signed['status'] );
	}

	/**
	 * Header sets that must be refused.
	 *
	 * @return array<string,array{0:callable}>
	 */
	public function bad_signatures(): array {
		return array(
			'no signature'   => array( static fn( string $body ) => array( 'Content-Type' => 'application/json' ) ),
			'wrong secret'   => array( static fn( string $body, self $test ) => $test->signature_headers( $body, null, 'whsec_' . base64_encode( random_bytes( 32 ) ) ) ),
			'stale'          => array( static fn( string $body, self $test ) => $test->signature_headers( $body, time() - 400 ) ),
			'other body'     => array( static fn( string $body, self $test ) => $test->signature_headers( $body . ' ' ) ),
		);
	}

	/**
	 * Exposes the base class helper to the data provider closures.
	 *
	 * @param string   $body      Body.
	 * @param int|null $timestamp Timestamp.
	 * @param string   $secret    Secret.
	 * @param string   $method    Method signed.
	 * @param string   $route     REST route signed.
	 * @param string   $query     Canonical query signed.
	 * @return array<string,string>
	 */
	public function signature_headers( string $body, ?int $timestamp = null, string $secret = '', string $method = 'POST', string $route = '/pulse-sync/v1/bridge/users', string $query = '' ): array {
		return parent::signature_headers( $body, $timestamp, $secret, $method, $route, $query );
	}

	/**
	 * Attack: a signed `GET /v1/status` the plugin sent to the bridge (seen on the way, or by
	 * whatever host `bridge_url` points at) replayed to the settings route, which answers the
	 * CRM client secret.
	 */
	public function test_replay_of_a_signed_get_v1_status_to_bridge_settings_is_refused(): void {
		ClientSecret::set( 'the-client-secret' );
		$plugin_signed = Signature::headers( Pairing::active_secrets(), SignedRequest::PLUGIN_TO_BRIDGE, new SignedRequest( 'GET', '/v1/status', array(), '' ), Client::new_message_id(), time() );
		$response      = $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/settings', null, $plugin_signed );
		$this->assertSame( 401, $response['status'], $response['body'] );
		$this->assertStringNotContainsString( 'the-client-secret', $response['body'] );

		// Even with the route the plugin's own GET would have had: the direction differs.
		$same_route = Signature::headers( Pairing::active_secrets(), SignedRequest::PLUGIN_TO_BRIDGE, new SignedRequest( 'GET', '/pulse-sync/v1/bridge/settings', array(), '' ), Client::new_message_id(), time() );
		$this->assertSame( 401, $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/settings', null, $same_route )['status'] );
	}

	/**
	 * Attack: the same signed request sent again within the tolerance window.
	 */
	public function test_a_signed_request_sent_again_is_refused(): void {
		$headers = $this->signature_headers( '', null, '', 'GET', '/pulse-sync/v1/bridge/settings' );
		$this->assertSame( 200, $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/settings', null, $headers )['status'] );
		$again = $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/settings', null, $headers );
		$this->assertSame( 401, $again['status'] );
		$this->assertSame( 'pulse_sync_invalid_signature', $again['json']['code'] );
	}

	/**
	 * Attack: ten copies of one signed request at once, on several PHP workers: one is taken.
	 */
	public function test_copies_of_a_signed_request_sent_at_once_are_taken_once(): void {
		$headers  = $this->signature_headers( '', null, '', 'GET', '/pulse-sync/v1/bridge/settings' );
		$request  = array(
			'method'  => 'GET',
			'path'    => '/wp-json/pulse-sync/v1/bridge/settings',
			'headers' => $headers,
		);
		$answers  = $this->http_at_once( array_fill( 0, 10, $request ) );
		$statuses = array_column( $answers, 'status' );
		sort( $statuses );
		$this->assertSame( array_merge( array( 200 ), array_fill( 0, 9, 401 ) ), $statuses );
	}

	/**
	 * Attack: a query added to, or changed in, a signed request.
	 */
	public function test_a_query_not_signed_is_refused(): void {
		$bare = $this->signature_headers( '', null, '', 'GET', '/pulse-sync/v1/bridge/settings' );
		$this->assertSame( 401, $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/settings?probe=edit', null, $bare )['status'] );
		$signed = $this->signature_headers( '', null, '', 'GET', '/pulse-sync/v1/bridge/settings', 'probe=view' );
		$this->assertSame( 401, $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/settings?probe=edit', null, $signed )['status'] );
		$again = $this->signature_headers( '', null, '', 'GET', '/pulse-sync/v1/bridge/settings', 'probe=view' );
		$this->assertSame( 200, $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/settings?probe=view', null, $again )['status'] );
	}

	/**
	 * Attack: a signed batch of user writes sent to the other route (and the other way round).
	 */
	public function test_a_request_signed_for_one_route_is_refused_by_the_other(): void {
		$body     = (string) wp_json_encode( self::batch( self::user_write( 31338, 'other.route@example.test' ) ) );
		$settings = $this->signature_headers( $body, null, '', 'POST', '/pulse-sync/v1/bridge/settings' );
		$this->assertSame( 401, $this->http( 'POST', '/wp-json/pulse-sync/v1/bridge/users', $body, $settings )['status'] );
		$this->assertSame( 0, $this->users_with_email( 'other.route@example.test' ) );
		$users = $this->signature_headers( '', null, '', 'GET', '/pulse-sync/v1/bridge/users' );
		$this->assertSame( 401, $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/settings', null, $users )['status'] );
	}

	/**
	 * The route is signed, not the URL path: the same request through `?rest_route=` verifies.
	 */
	public function test_the_rest_route_is_signed_so_plain_permalinks_verify_too(): void {
		$headers  = $this->signature_headers( '', null, '', 'GET', '/pulse-sync/v1/bridge/settings' );
		$response = $this->http( 'GET', '/?rest_route=/pulse-sync/v1/bridge/settings', null, $headers );
		$this->assertSame( 200, $response['status'], $response['body'] );
		$this->assertSame( Revision::current(), $response['json']['rev'] );
	}

	/**
	 * Ids are remembered in a table every PHP worker shares, and forgotten once stale.
	 */
	public function test_seen_ids_are_purged_once_their_window_has_ended(): void {
		$id = Client::new_message_id();
		$this->assertTrue( SeenMessages::claim( $id, 1000 ) );
		$this->assertFalse( SeenMessages::claim( $id, 1000 ) );
		$fresh = Client::new_message_id();
		$this->assertTrue( SeenMessages::claim( $fresh, time() ) );
		SeenMessages::purge( 1000 + Signature::TOLERANCE_IN_SECONDS + 2 );
		$this->assertTrue( SeenMessages::claim( $id, 2000 ), 'a purged id can be used again' );
		$this->assertFalse( SeenMessages::claim( $fresh, time() ), 'an id within its window stays' );
	}

	/**
	 * Signed user write creates then updates.
	 */
	public function test_signed_user_write_creates_then_updates(): void {
		list( $created ) = $this->write_batch( self::user_write( 4040, 'route.user@example.test' ) );
		$this->assertSame( 'created', $created['status'] );
		$this->assertTrue( $created['password_used'] );
		$updated = $this->write_batch( self::user_write( 4040, 'route.user@example.test' ) );
		$this->assertSame( array( array( 'status' => 'updated', 'user_id' => $created['user_id'], 'password_used' => false ) ), $updated );
	}

	/**
	 * One request writes every good item and answers each bad one with what a single write
	 * would have been answered; the items after a bad one are written all the same.
	 */
	public function test_a_batch_writes_its_good_items_and_answers_each_bad_one(): void {
		$malformed = self::user_write( 4343, 'malformed@example.test' );
		unset( $malformed['delivery_id'] );
		$results = $this->write_batch(
			self::user_write( 4141, 'good.first@example.test' ),
			self::user_write( 4242, 'nope' ),
			$malformed,
			self::user_write( 4444, 'good.last@example.test' )
		);

		$this->assertSame( 'created', $results[0]['status'] );
		$this->assertSame( array( 'code' => 'pulse_sync_invalid_email', 'status' => 422 ), array_diff_key( $results[1]['error'], array( 'message' => 0 ) ) );
		$this->assertNotSame( '', $results[1]['error']['message'] );
		$this->assertSame( array( 'pulse_sync_invalid_payload', 400 ), array( $results[2]['error']['code'], $results[2]['error']['status'] ) );
		$this->assertSame( 'created', $results[3]['status'] );
		$this->assertSame( $results[0]['user_id'], get_user_by( 'email', 'good.first@example.test' )->ID );
		$this->assertSame( $results[3]['user_id'], get_user_by( 'email', 'good.last@example.test' )->ID );
		$this->assertSame( 0, $this->users_with_email( 'malformed@example.test' ) );
	}

	/**
	 * A repeated batch (the bridge retrying after a lost answer) creates nobody twice and
	 * answers as the first time, password_used included.
	 */
	public function test_a_repeated_batch_is_answered_from_the_first_writes(): void {
		global $wpdb;
		$writes = array( self::user_write( 4545, 'replay.one@example.test' ), self::user_write( 4646, 'replay.two@example.test' ) );
		$first  = $this->write_batch( ...$writes );
		$users  = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->users}" );
		$again  = $this->write_batch( ...$writes );
		$this->assertSame( array( 'created', 'created' ), array_column( $first, 'status' ) );
		$this->assertSame( $first, $again );
		$this->assertSame( array( true, true ), array_column( $again, 'password_used' ) );
		$this->assertSame( $users, (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->users}" ) );
	}

	/**
	 * Up to the maximum (50 by default) writes are taken; one more and nothing is written.
	 */
	public function test_a_batch_over_the_maximum_is_400_and_writes_nothing(): void {
		$emails = array_map( static fn( $n ) => "over.cap.{$n}@example.test", range( 1, 51 ) );
		$writes = array_map( static fn( $email, $n ) => self::user_write( 4700 + $n, $email ), $emails, array_keys( $emails ) );

		$response = $this->signed_rest( 'POST', '/bridge/users', self::batch( ...$writes ) );
		$this->assertSame( 400, $response['status'], $response['body'] );
		$this->assertSame( 'pulse_sync_batch_too_large', $response['json']['code'] );
		$this->assertSame( 0, array_sum( array_map( array( $this, 'users_with_email' ), $emails ) ) );

		// 50 updates of contacts without a user: accepted, and nothing to create.
		$updates = array_map( static fn( $write ) => array_merge( $write, array( 'action' => 'update' ) ), array_slice( $writes, 0, 50 ) );
		$this->assertSame( array_fill( 0, 50, 'no_user' ), array_column( $this->write_batch( ...$updates ), 'reason' ) );
	}

	/**
	 * @dataProvider malformed_bodies
	 *
	 * @param mixed $body A body without a proper `writes` list.
	 */
	public function test_a_malformed_body_is_400_and_writes_nothing( $body ): void {
		$response = $this->signed_rest( 'POST', '/bridge/users', $body );
		$this->assertSame( 400, $response['status'], $response['body'] );
		$this->assertSame( 'pulse_sync_invalid_payload', $response['json']['code'] );
		$this->assertSame( 0, $this->users_with_email( 'envelope@example.test' ) );
	}

	/**
	 * Bodies the route refuses as a whole.
	 *
	 * @return array<string,array{0:array}>
	 */
	public function malformed_bodies(): array {
		$write = self::user_write( 4848, 'envelope@example.test' );
		return array(
			'a single write, not a batch' => array( $write ),
			'no writes'                   => array( array( 'writes' => array() ) ),
			'writes as an object'         => array( array( 'writes' => array( 'first' => $write ) ) ),
			'writes not a list'           => array( array( 'writes' => 'all' ) ),
		);
	}

	/**
	 * send_notification=true gives exactly one welcome email with the set-password link, through real SMTP.
	 */
	public function test_welcome_email_reaches_the_mail_sink_only_when_asked(): void {
		$asked     = 'welcome.' . wp_rand( 100000, 999999 ) . '@example.test';
		$not_asked = 'quiet.' . wp_rand( 100000, 999999 ) . '@example.test';
		$write     = self::user_write( 7001, $asked );

		$write['send_notification'] = true;
		$this->assertSame( array( 'created', 'created' ), array_column( $this->write_batch( $write, self::user_write( 7002, $not_asked ) ), 'status' ) );

		$mails = array();
		for ( $i = 0; $i < 30 && array() === $mails; $i++ ) {
			usleep( 100000 );
			$mails = $this->mail_to( $asked );
		}
		$this->assertCount( 1, $mails );
		$this->assertStringContainsString( 'action=rp', (string) wp_json_encode( $mails[0] ) );
		$this->assertSame( array(), $this->mail_to( $not_asked ) );
	}

	/**
	 * 50 concurrent writes for one new contact (one write per request: the most concurrency)
	 * give one user. Three bursts, because without the locks a duplicate is likely but not
	 * certain in any one of them.
	 */
	public function test_50_concurrent_writes_for_one_new_contact_give_one_user(): void {
		foreach ( array( 5050, 5051, 5052 ) as $contact_id ) {
			$email    = "burst.{$contact_id}." . wp_rand( 1000, 9999 ) . '@example.test';
			$results  = $this->concurrent_batches( array_fill( 0, 50, array( array( $contact_id, $email ) ) ) );
			$statuses = array_count_values( array_map( static fn( $result ) => $result['status'] ?? $result['error']['code'], $results ) );
			ksort( $statuses );
			$this->assertSame( array( 'created' => 1, 'updated' => 49 ), $statuses, "contact {$contact_id}" );
			$this->assertCount( 1, array_unique( array_column( $results, 'user_id' ) ) );
			$this->assertSame( 1, $this->users_with_email( $email ) );
		}
	}

	/**
	 * Two contacts sharing an email at once give one user.
	 */
	public function test_two_contacts_sharing_an_email_at_once_give_one_user(): void {
		$email   = 'shared.' . wp_rand( 1000, 9999 ) . '@example.test';
		$batches = array();
		for ( $i = 0; $i < 20; $i++ ) {
			$batches[] = array( array( 0 === $i % 2 ? 6001 : 6002, $email ) );
		}
		$results = $this->concurrent_batches( $batches );
		$this->assertCount( 20, $results );
		$this->assertCount( 1, array_unique( array_column( $results, 'user_id' ) ) );
		$this->assertSame( 1, $this->users_with_email( $email ) );
	}

	/**
	 * Sends signed batches of user writes all at once; every request must answer 200.
	 *
	 * @param array<int,array<int,array{0:int,1:string}>> $batches Per request, [contact id, email] per write.
	 * @return array<int,array> Every write's result, request after request.
	 */
	private function concurrent_batches( array $batches ): array {
		$requests = array();
		foreach ( $batches as $writes ) {
			$body       = (string) wp_json_encode( self::batch( ...array_map( static fn( $write ) => self::user_write( ...$write ), $writes ) ) );
			$requests[] = array(
				'method'  => 'POST',
				'path'    => '/wp-json/pulse-sync/v1/bridge/users',
				'body'    => $body,
				'headers' => $this->signature_headers( $body ),
			);
		}
		$results = array();
		foreach ( $this->http_at_once( $requests ) as $answer ) {
			$this->assertSame( 200, $answer['status'], $answer['body'] );
			array_push( $results, ...$answer['json']['results'] );
		}
		return $results;
	}

	/**
	 * How many users have an email.
	 *
	 * @param string $email Email.
	 * @return int
	 */
	private function users_with_email( string $email ): int {
		global $wpdb;
		return (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->users} WHERE user_email = %s", $email ) );
	}
}
