<?php
/**
 * The signed routes the bridge calls, over real HTTP.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Rest;

use PulseSync\Settings;
use PulseSync\Tests\Support\PluginTestCase;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Rest\BridgeController
 */
class BridgeControllerTest extends PluginTestCase {

	/**
	 * A user write body.
	 *
	 * @param int    $contact_id Contact id.
	 * @param string $email      Email.
	 * @return array
	 */
	private static function user_body( int $contact_id, string $email ): array {
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
	 * Settings route gives the bridge what it needs.
	 */
	public function test_settings_route_gives_the_bridge_what_it_needs(): void {
		Settings::update( array( 'crm_account_url' => 'https://acme.thepulsespot.com', 'crm_portal_url' => '', 'crm_client_id' => 'client-1', 'return_password_enabled' => true, 'return_password_field' => 'custom_password' ) );
		Settings::set_client_secret( 'the-client-secret' );
		$response = $this->signed_rest( 'GET', '/bridge/settings' );
		$this->assertSame( 200, $response['status'], $response['body'] );
		$this->assertSame( Settings::rev(), $response['json']['rev'] );
		$this->assertSame( array( 'enabled' => true, 'field' => 'custom_password' ), $response['json']['return_password'] );
		$this->assertSame(
			array(
				'account_url'   => 'https://acme.thepulsespot.com',
				'portal_url'    => 'https://portal.thepulsespot.com',
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
		$rev = Settings::rev();
		Settings::update( array( 'wait_budget_ms' => 1234 ) );
		$this->assertSame( $rev + 1, Settings::rev() );
		Settings::set_client_secret( 'another-secret' );
		$this->assertSame( $rev + 2, Settings::rev() );
	}

	/**
	 * @dataProvider bad_signatures
	 *
	 * @param callable $headers Makes the headers from the body and the test case.
	 */
	public function test_unsigned_or_badly_signed_requests_get_401( callable $headers ): void {
		global $wpdb;
		$before = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->users}" );
		$body   = (string) wp_json_encode( self::user_body( 31337, 'unsigned@example.test' ) );
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
	 * @return array<string,string>
	 */
	public function signature_headers( string $body, ?int $timestamp = null, string $secret = '' ): array {
		return parent::signature_headers( $body, $timestamp, $secret );
	}

	/**
	 * Signed user write creates then updates.
	 */
	public function test_signed_user_write_creates_then_updates(): void {
		$created = $this->signed_rest( 'POST', '/bridge/users', self::user_body( 4040, 'route.user@example.test' ) );
		$this->assertSame( 200, $created['status'], $created['body'] );
		$this->assertSame( 'created', $created['json']['status'] );
		$this->assertTrue( $created['json']['password_used'] );
		$updated = $this->signed_rest( 'POST', '/bridge/users', self::user_body( 4040, 'route.user@example.test' ) );
		$this->assertSame( array( 'status' => 'updated', 'user_id' => $created['json']['user_id'], 'password_used' => false ), $updated['json'] );
	}

	/**
	 * Invalid email is 422 with its code.
	 */
	public function test_invalid_email_is_422_with_its_code(): void {
		$response = $this->signed_rest( 'POST', '/bridge/users', self::user_body( 4141, 'nope' ) );
		$this->assertSame( 422, $response['status'] );
		$this->assertSame( 'pulse_sync_invalid_email', $response['json']['code'] );
	}

	/**
	 * Malformed payload is 400.
	 */
	public function test_malformed_payload_is_400(): void {
		$body = self::user_body( 4242, 'x@example.test' );
		unset( $body['delivery_id'] );
		$response = $this->signed_rest( 'POST', '/bridge/users', $body );
		$this->assertSame( 400, $response['status'] );
		$this->assertSame( 'pulse_sync_invalid_payload', $response['json']['code'] );
	}

	/**
	 * send_notification=true gives exactly one welcome email with the set-password link, through real SMTP.
	 */
	public function test_welcome_email_reaches_the_mail_sink_only_when_asked(): void {
		$asked     = 'welcome.' . wp_rand( 100000, 999999 ) . '@example.test';
		$not_asked = 'quiet.' . wp_rand( 100000, 999999 ) . '@example.test';
		$body      = self::user_body( 7001, $asked );

		$body['send_notification'] = true;
		$this->assertSame( 'created', $this->signed_rest( 'POST', '/bridge/users', $body )['json']['status'] );
		$this->assertSame( 'created', $this->signed_rest( 'POST', '/bridge/users', self::user_body( 7002, $not_asked ) )['json']['status'] );

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
	 * 50 concurrent writes for one new contact give one user.
	 */
	public function test_50_concurrent_writes_for_one_new_contact_give_one_user(): void {
		$email     = 'burst.' . wp_rand( 1000, 9999 ) . '@example.test';
		$responses = $this->concurrent_user_writes( array_fill( 0, 50, array( 5050, $email ) ) );
		$this->assertSame( array( 200 ), array_values( array_unique( array_column( $responses, 'status' ) ) ) );
		$statuses = array_count_values( array_column( array_column( $responses, 'json' ), 'status' ) );
		ksort( $statuses );
		$this->assertSame( array( 'created' => 1, 'updated' => 49 ), $statuses );
		$this->assertCount( 1, array_unique( array_column( array_column( $responses, 'json' ), 'user_id' ) ) );
		$this->assertSame( 1, $this->users_with_email( $email ) );
	}

	/**
	 * Two contacts sharing an email at once give one user.
	 */
	public function test_two_contacts_sharing_an_email_at_once_give_one_user(): void {
		$email    = 'shared.' . wp_rand( 1000, 9999 ) . '@example.test';
		$requests = array();
		for ( $i = 0; $i < 20; $i++ ) {
			$requests[] = array( 0 === $i % 2 ? 6001 : 6002, $email );
		}
		$responses = $this->concurrent_user_writes( $requests );
		$this->assertSame( array( 200 ), array_values( array_unique( array_column( $responses, 'status' ) ) ) );
		$this->assertCount( 1, array_unique( array_column( array_column( $responses, 'json' ), 'user_id' ) ) );
		$this->assertSame( 1, $this->users_with_email( $email ) );
	}

	/**
	 * Sends signed user writes all at once with curl_multi.
	 *
	 * @param array<int,array{0:int,1:string}> $requests [contact id, email] per request.
	 * @return array<int,array{status:int,json:mixed}>
	 */
	private function concurrent_user_writes( array $requests ): array {
		$multi   = curl_multi_init();
		$handles = array();
		foreach ( $requests as list( $contact_id, $email ) ) {
			$body    = (string) wp_json_encode( self::user_body( $contact_id, $email ) );
			$headers = array();
			foreach ( $this->signature_headers( $body ) as $name => $value ) {
				$headers[] = "{$name}: {$value}";
			}
			$handle = curl_init( $this->stack()['siteUrl'] . '/wp-json/pulse-sync/v1/bridge/users' );
			curl_setopt_array(
				$handle,
				array(
					CURLOPT_POST           => true,
					CURLOPT_POSTFIELDS     => $body,
					CURLOPT_HTTPHEADER     => $headers,
					CURLOPT_RETURNTRANSFER => true,
					CURLOPT_TIMEOUT        => 120,
				)
			);
			curl_multi_add_handle( $multi, $handle );
			$handles[] = $handle;
		}
		do {
			$status = curl_multi_exec( $multi, $running );
			if ( $running ) {
				curl_multi_select( $multi, 1.0 );
			}
		} while ( $running && CURLM_OK === $status );
		$responses = array();
		foreach ( $handles as $handle ) {
			$responses[] = array(
				'status' => (int) curl_getinfo( $handle, CURLINFO_RESPONSE_CODE ),
				'json'   => json_decode( (string) curl_multi_getcontent( $handle ), true ),
			);
			curl_multi_remove_handle( $multi, $handle );
			curl_close( $handle );
		}
		curl_multi_close( $multi );
		$this->fresh();
		return $responses;
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
