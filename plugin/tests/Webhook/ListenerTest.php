<?php
/**
 * The `?wpf_action=` endpoint over real HTTP.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Webhook;

use PulseSync\Tests\Support\PluginTestCase;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Webhook\Listener
 * @covers \PulseSync\Webhook\Request
 */
class ListenerTest extends PluginTestCase {

	/**
	 * Starts each test from a known state.
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->point_bridge_at_closed_port();
	}

	/**
	 * Test action answers 200 json and changes nothing.
	 */
	public function test_test_action_answers_200_json_and_changes_nothing(): void {
		$response = $this->webhook( 'wpf_action=test&access_key={key}' );
		$this->assertWebhookAnswer( 200, null, $response );
		$this->assertSame( 'test', $response['json']['action'] );
		$this->assertSame( array(), $this->spool_rows() );
	}

	/**
	 * Actions are case insensitive and work on any front end path.
	 */
	public function test_actions_are_case_insensitive_and_work_on_any_front_end_path(): void {
		$response = $this->http( 'GET', '/some/page/?wpf_action=TEST&access_key=' . \PulseSync\AccessKey::get() );
		$this->assertWebhookAnswer( 200, null, $response );
	}

	/**
	 * The answer comes before `init`: a storm must not pay for post types and blocks.
	 * A must-use plugin marks every request that reached `init`; the front page shows
	 * the mark, so the test fails if the listener moves back behind `init`.
	 */
	public function test_the_answer_comes_before_init(): void {
		$probe = WPMU_PLUGIN_DIR . '/pulse-sync-test-init-probe.php';
		file_put_contents( $probe, "<?php\nadd_action( 'init', static fn() => header( 'X-Pulse-Test-Init: ran' ) );\n" ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents -- a throwaway must-use plugin.
		try {
			$webhook    = $this->webhook( 'wpf_action=test&access_key={key}' );
			$front_page = $this->http( 'GET', '/' );
		} finally {
			unlink( $probe ); // phpcs:ignore WordPress.WP.AlternativeFunctions.unlink_unlink
		}
		$this->assertWebhookAnswer( 200, null, $webhook );
		$this->assertArrayNotHasKey( 'x-pulse-test-init', $webhook['headers'] );
		$this->assertSame( 'ran', $front_page['headers']['x-pulse-test-init'] ?? null );
	}

	/**
	 * Only front-end requests are webhooks: wp-admin and wp-login.php ignore `wpf_action`.
	 */
	public function test_admin_and_login_requests_are_not_webhooks(): void {
		$query = '?wpf_action=test&access_key=' . \PulseSync\AccessKey::get();
		$admin = $this->http( 'GET', '/wp-admin/' . $query );
		$login = $this->http( 'GET', '/wp-login.php' . $query );
		$this->assertSame( 302, $admin['status'] );
		$this->assertNull( $admin['json'] );
		$this->assertSame( 200, $login['status'] );
		$this->assertStringContainsString( 'user_login', $login['body'] );
	}

	/**
	 * @dataProvider action_aliases
	 *
	 * @param string $sent     wpf_action as sent.
	 * @param string $expected Action forwarded.
	 */
	public function test_actions_and_aliases_are_forwarded_normalized( string $sent, string $expected ): void {
		$response = $this->webhook( "wpf_action={$sent}&access_key={key}&contact_id=7" );
		$this->assertWebhookAnswer( 202, null, $response );
		$rows = $this->spool_rows();
		$this->assertCount( 1, $rows );
		$this->assertSame( $expected, $rows[0]['payload']['action'] );
		$this->assertSame( 7, $rows[0]['payload']['contact_id'] );
	}

	/**
	 * Actions as sent and as forwarded.
	 *
	 * @return array<string,array{0:string,1:string}>
	 */
	public function action_aliases(): array {
		return array(
			'add'         => array( 'add', 'add' ),
			'add_user'    => array( 'add_user', 'add' ),
			'ADD'         => array( 'ADD', 'add' ),
			'update'      => array( 'update', 'update' ),
			'update_user' => array( 'Update_User', 'update' ),
			'update_tags' => array( 'update_tags', 'update_tags' ),
		);
	}

	/**
	 * Contact id from a form body.
	 */
	public function test_contact_id_from_a_form_body(): void {
		$response = $this->webhook( 'wpf_action=add&access_key={key}', 'POST', 'contact_id=42&email=a%40b.test', array( 'Content-Type' => 'application/x-www-form-urlencoded' ) );
		$this->assertWebhookAnswer( 202, null, $response );
		$this->assertSame( 42, $this->spool_rows()[0]['payload']['contact_id'] );
	}

	/**
	 * Id from a form body when there is no contact id.
	 */
	public function test_id_from_a_form_body_when_there_is_no_contact_id(): void {
		$response = $this->webhook( 'wpf_action=add&access_key={key}', 'POST', 'id=43', array( 'Content-Type' => 'application/x-www-form-urlencoded' ) );
		$this->assertWebhookAnswer( 202, null, $response );
		$this->assertSame( 43, $this->spool_rows()[0]['payload']['contact_id'] );
	}

	/**
	 * A form-encoded contact entity's own fields (role, send_notification) are not URL parameters.
	 */
	public function test_a_form_entity_cannot_set_the_url_parameters(): void {
		$response = $this->webhook( 'wpf_action=add&access_key={key}', 'POST', 'id=47&role=Sales+Manager&send_notification=yes%3F&wpf_action=update', array( 'Content-Type' => 'application/x-www-form-urlencoded' ) );
		$this->assertWebhookAnswer( 202, null, $response );
		$payload = $this->spool_rows()[0]['payload'];
		$this->assertSame( 'add', $payload['action'] );
		$this->assertSame( array( 'send_notification' => false ), $payload['params'] );
	}

	/**
	 * Id from a json contact entity.
	 */
	public function test_id_from_a_json_contact_entity(): void {
		$body     = (string) wp_json_encode( array( 'id' => 44, 'email' => 'x@example.test', 'first_name' => '<b>X</b>' ) );
		$response = $this->webhook( 'wpf_action=update&access_key={key}', 'POST', $body, array( 'Content-Type' => 'application/json' ) );
		$this->assertWebhookAnswer( 202, null, $response );
		$this->assertSame( 44, $this->spool_rows()[0]['payload']['contact_id'] );
	}

	/**
	 * Query contact id wins over the json id.
	 */
	public function test_query_contact_id_wins_over_the_json_id(): void {
		$response = $this->webhook( 'wpf_action=add&access_key={key}&contact_id=45', 'POST', '{"id":46}', array( 'Content-Type' => 'application/json' ) );
		$this->assertWebhookAnswer( 202, null, $response );
		$this->assertSame( 45, $this->spool_rows()[0]['payload']['contact_id'] );
	}

	/**
	 * Send notification and role are forwarded.
	 */
	public function test_send_notification_and_role_are_forwarded(): void {
		$this->webhook( 'wpf_action=add&access_key={key}&contact_id=7&send_notification=true&role=Customer' );
		$params = $this->spool_rows()[0]['payload']['params'];
		$this->assertSame(
			array(
				'send_notification' => true,
				'role'              => 'customer',
			),
			$params
		);
	}

	/**
	 * The forwarded delivery never carries the key.
	 */
	public function test_the_forwarded_delivery_never_carries_the_key(): void {
		$this->webhook( 'wpf_action=add&access_key={key}&contact_id=7' );
		$this->assertStringNotContainsString( \PulseSync\AccessKey::get(), (string) wp_json_encode( $this->spool_rows() ) );
	}

	/**
	 * Missing key is 403.
	 */
	public function test_missing_key_is_403(): void {
		$this->assertWebhookAnswer( 403, 'invalid_access_key', $this->webhook( 'wpf_action=add&contact_id=7' ) );
	}

	/**
	 * Wrong key is 403 and never echoed.
	 */
	public function test_wrong_key_is_403_and_never_echoed(): void {
		$response = $this->webhook( 'wpf_action=add&access_key=deadbeefdeadbeef&contact_id=7' );
		$this->assertWebhookAnswer( 403, 'invalid_access_key', $response );
		$this->assertStringNotContainsString( 'deadbeefdeadbeef', $response['body'] );
		$this->assertSame( array(), $this->spool_rows() );
	}

	/**
	 * @dataProvider bad_requests
	 *
	 * @param int         $status  Expected status.
	 * @param string      $error   Expected error code.
	 * @param string      $query   Query string ({key} = the access key).
	 * @param string      $method  Method.
	 * @param string|null $body    Body.
	 * @param string|null $type    Content-Type.
	 */
	public function test_bad_input_gets_a_4xx_json_answer_and_changes_nothing( int $status, string $error, string $query, string $method = 'GET', ?string $body = null, ?string $type = null ): void {
		$users_before = count_users()['total_users'];
		$response     = $this->webhook( $query, $method, $body, null === $type ? array() : array( 'Content-Type' => $type ) );
		$this->assertWebhookAnswer( $status, $error, $response );
		$this->assertSame( array(), $this->spool_rows() );
		$this->assertSame( $users_before, count_users()['total_users'] );
	}

	/**
	 * Bad requests and their answers.
	 *
	 * @return array<string,array>
	 */
	public function bad_requests(): array {
		$json = 'application/json';
		$form = 'application/x-www-form-urlencoded';
		return array(
			'empty action'                  => array( 400, 'missing_action', 'wpf_action=&access_key={key}&contact_id=7' ),
			'unknown action'                => array( 400, 'unknown_action', 'wpf_action=delete&access_key={key}&contact_id=7' ),
			'action with markup'            => array( 400, 'unknown_action', 'wpf_action=%3Cscript%3E&access_key={key}&contact_id=7' ),
			'array action'                  => array( 400, 'array_parameter', 'wpf_action[]=add&access_key={key}&contact_id=7' ),
			'array key'                     => array( 400, 'array_parameter', 'wpf_action=add&access_key[]=x&contact_id=7' ),
			'repeated key'                  => array( 400, 'repeated_parameter', 'wpf_action=add&access_key={key}&access_key={key}&contact_id=7' ),
			'repeated action'               => array( 400, 'repeated_parameter', 'wpf_action=add&wpf_action=update&access_key={key}&contact_id=7' ),
			'repeated contact id'           => array( 400, 'repeated_parameter', 'wpf_action=add&access_key={key}&contact_id=7&contact_id=8' ),
			'contact id in query and form'  => array( 400, 'repeated_parameter', 'wpf_action=add&access_key={key}&contact_id=7', 'POST', 'contact_id=8', $form ),
			'missing contact id'            => array( 400, 'missing_contact_id', 'wpf_action=add&access_key={key}' ),
			'empty contact id'              => array( 400, 'invalid_contact_id', 'wpf_action=add&access_key={key}&contact_id=' ),
			'non-numeric contact id'        => array( 400, 'invalid_contact_id', 'wpf_action=add&access_key={key}&contact_id=abc' ),
			'negative contact id'           => array( 400, 'invalid_contact_id', 'wpf_action=add&access_key={key}&contact_id=-5' ),
			'zero contact id'               => array( 400, 'invalid_contact_id', 'wpf_action=add&access_key={key}&contact_id=0' ),
			'leading zero contact id'       => array( 400, 'invalid_contact_id', 'wpf_action=add&access_key={key}&contact_id=007' ),
			'huge contact id'               => array( 400, 'invalid_contact_id', 'wpf_action=add&access_key={key}&contact_id=99999999999999999999999' ),
			'decimal contact id'            => array( 400, 'invalid_contact_id', 'wpf_action=add&access_key={key}&contact_id=7.5' ),
			'SQL in contact id'             => array( 400, 'invalid_contact_id', 'wpf_action=add&access_key={key}&contact_id=7%20OR%201%3D1' ),
			'JSON id as float'              => array( 400, 'invalid_contact_id', 'wpf_action=add&access_key={key}', 'POST', '{"id":7.5}', $json ),
			'JSON id as object'             => array( 400, 'invalid_contact_id', 'wpf_action=add&access_key={key}', 'POST', '{"id":{"a":1}}', $json ),
			'JSON huge id'                  => array( 400, 'invalid_contact_id', 'wpf_action=add&access_key={key}', 'POST', '{"id":123456789012345678901234567890}', $json ),
			'JSON that is not JSON'         => array( 400, 'invalid_json', 'wpf_action=add&access_key={key}', 'POST', '<contact id="7"/>', $json ),
			'JSON list instead of object'   => array( 400, 'invalid_json', 'wpf_action=add&access_key={key}', 'POST', '[7]', $json ),
			'truncated JSON'                => array( 400, 'invalid_json', 'wpf_action=add&access_key={key}&contact_id=7', 'POST', '{"id":7', $json ),
			'XML body'                      => array( 415, 'unsupported_media_type', 'wpf_action=add&access_key={key}&contact_id=7', 'POST', '<id>7</id>', 'text/xml' ),
			'invalid UTF-8 in query'        => array( 400, 'invalid_encoding', 'wpf_action=add&access_key={key}&contact_id=7&first_name=%C3%28' ),
			'invalid UTF-8 in form'         => array( 400, 'invalid_encoding', 'wpf_action=add&access_key={key}', 'POST', "contact_id=7&name=\xC3\x28", $form ),
			'invalid UTF-8 in JSON'         => array( 400, 'invalid_json', 'wpf_action=add&access_key={key}', 'POST', "{\"id\":7,\"name\":\"\xC3\x28\"}", $json ),
			'bad send_notification'         => array( 400, 'invalid_send_notification', 'wpf_action=add&access_key={key}&contact_id=7&send_notification=maybe' ),
			'role with markup'              => array( 400, 'invalid_role', 'wpf_action=add&access_key={key}&contact_id=7&role=%3Cb%3Eadmin%3C%2Fb%3E' ),
			'role with SQL'                 => array( 400, 'invalid_role', 'wpf_action=add&access_key={key}&contact_id=7&role=x%27%3B%20DROP%20TABLE%20wp_users%3B--' ),
			'1 MB body'                     => array( 413, 'payload_too_large', 'wpf_action=add&access_key={key}&contact_id=7', 'POST', str_repeat( 'a', 1024 * 1024 ), $form ),
			'PUT'                           => array( 405, 'method_not_allowed', 'wpf_action=add&access_key={key}&contact_id=7', 'PUT' ),
		);
	}

	/**
	 * Regression: `wpf_action=add%00` was trimmed to `add` and accepted.
	 */
	public function test_nul_in_action_is_a_400(): void {
		$this->assertControlCharacterRefused( 'wpf_action=add%00&access_key={key}&contact_id=7' );
	}

	/**
	 * Regression: `role=administrator%00` was trimmed to a role name and answered 200 (the role
	 * itself was refused later, so the caller could not tell).
	 */
	public function test_nul_in_role_is_a_400(): void {
		$this->assertControlCharacterRefused( 'wpf_action=add&access_key={key}&contact_id=7&role=administrator%00' );
	}

	/**
	 * @dataProvider control_characters
	 *
	 * @param string      $query Query string ({key} = the access key).
	 * @param string|null $form  Form-encoded body, if any.
	 */
	public function test_any_control_character_in_a_parameter_is_a_400( string $query, ?string $form = null ): void {
		$this->assertControlCharacterRefused( $query, $form );
	}

	/**
	 * Control characters in each parameter the webhook reads.
	 *
	 * @return array<string,array<int,string>>
	 */
	public function control_characters(): array {
		return array(
			'tab after the action'           => array( 'wpf_action=update%09&access_key={key}&contact_id=7' ),
			'DEL in the action'              => array( 'wpf_action=up%7Fdate&access_key={key}&contact_id=7' ),
			'newline in send_notification'   => array( 'wpf_action=add&access_key={key}&contact_id=7&send_notification=true%0A' ),
			'carriage return in contact id'  => array( 'wpf_action=add&access_key={key}&contact_id=7%0D' ),
			'C1 control (NEL) in role'       => array( 'wpf_action=add&access_key={key}&contact_id=7&role=customer%C2%85' ),
			'NUL after the key'              => array( 'wpf_action=add&access_key={key}%00&contact_id=7' ),
			'NUL in a form body contact id'  => array( 'wpf_action=add&access_key={key}', 'contact_id=7%00' ),
		);
	}

	/**
	 * Other query parameters (merge fields the owner added to the URL) are not read, so a
	 * newline in one of them is no reason to refuse the webhook.
	 */
	public function test_a_control_character_in_a_parameter_not_read_is_ignored(): void {
		$this->assertWebhookAnswer( 202, null, $this->webhook( 'wpf_action=add&access_key={key}&contact_id=7&note=line%0Aline' ) );
	}

	/**
	 * Asserts a webhook is refused with 400 control_character and stores nothing.
	 *
	 * @param string      $query Query string ({key} = the access key).
	 * @param string|null $form  Form-encoded body, if any.
	 * @return void
	 */
	private function assertControlCharacterRefused( string $query, ?string $form = null ): void {
		$response = null === $form
			? $this->webhook( $query )
			: $this->webhook( $query, 'POST', $form, array( 'Content-Type' => 'application/x-www-form-urlencoded' ) );
		$this->assertWebhookAnswer( 400, 'control_character', $response );
		$this->assertSame( array(), $this->spool_rows() );
	}

	/**
	 * Regression: the stack's request log redacted only the literal `access_key=`, so the key
	 * sent as `access_key[]=KEY` (refused, but logged) or as `access%5Fkey=KEY` (which the
	 * listener decodes and accepts) was written to the log in clear.
	 *
	 * @dataProvider key_spellings
	 *
	 * @param string $spelling The key parameter as sent ({key} = the access key).
	 * @param int    $status   What the listener answers.
	 */
	public function test_access_key_in_any_spelling_never_reaches_the_request_log( string $spelling, int $status ): void {
		$marker   = 'log' . bin2hex( random_bytes( 6 ) );
		$response = $this->webhook( "wpf_action=test&{$spelling}&marker={$marker}" );
		$this->assertSame( $status, $response['status'], $response['body'] );
		$log_dir = $this->stack()['logDir'];
		if ( ! file_exists( $log_dir . '/php-server.log' ) ) {
			// nginx + PHP-FPM: the access log has no query string at all and the error log passes
			// through the same redactor; no log of the stack may hold the key.
			usleep( 500000 );
			foreach ( glob( $log_dir . '/*.log' ) ?: array() as $log ) {
				$this->assertStringNotContainsString( \PulseSync\AccessKey::get(), (string) file_get_contents( $log ), $log ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local log file.
			}
			return;
		}
		$line = $this->request_log_line( $marker );
		$this->assertStringNotContainsString( \PulseSync\AccessKey::get(), $line );
		$this->assertStringContainsString( '=[redacted]&marker=', $line );
	}

	/**
	 * Spellings of the key parameter.
	 *
	 * @return array<string,array{0:string,1:int}>
	 */
	public function key_spellings(): array {
		return array(
			'array'              => array( 'access_key[]={key}', 400 ),
			'encoded underscore' => array( 'access%5Fkey={key}', 200 ),
			'encoded brackets'   => array( 'access_key%5B%5D={key}', 400 ),
		);
	}

	/**
	 * The line of the stack's php -S request log that holds a marker, once the redacting
	 * logger has written it (it runs in its own process, so the line may lag the answer).
	 *
	 * @param string $marker A value unique to one request.
	 * @return string
	 */
	private function request_log_line( string $marker ): string {
		$log = $this->stack()['logDir'] . '/php-server.log';
		for ( $i = 0; $i < 100; $i++ ) {
			foreach ( file( $log ) ?: array() as $line ) {
				if ( str_contains( $line, $marker ) ) {
					return $line;
				}
			}
			usleep( 100000 );
		}
		$this->fail( "No request log line with {$marker} in {$log}." );
	}

	/**
	 * A 1 mb json body is refused too.
	 */
	public function test_a_1_mb_json_body_is_refused_too(): void {
		$body     = '{"id":7,"pad":"' . str_repeat( 'x', 1024 * 1024 ) . '"}';
		$response = $this->webhook( 'wpf_action=add&access_key={key}', 'POST', $body, array( 'Content-Type' => 'application/json' ) );
		$this->assertWebhookAnswer( 413, 'payload_too_large', $response );
	}

	/**
	 * Bridge unreachable spools and answers 202.
	 */
	public function test_bridge_unreachable_spools_and_answers_202(): void {
		$response = $this->webhook( 'wpf_action=add&access_key={key}&contact_id=9' );
		$this->assertWebhookAnswer( 202, null, $response );
		$this->assertSame( 'queued', $response['json']['status'] );
		$rows = $this->spool_rows();
		$this->assertCount( 1, $rows );
		$this->assertSame( $response['json']['delivery_id'], $rows[0]['delivery_id'] );
		$this->assertMatchesRegularExpression( '/^msg_[0-9a-f]{32}$/', $rows[0]['delivery_id'] );
		$this->assertSame( '127.0.0.1', $rows[0]['payload']['source_ip'] );
	}

	/**
	 * Webhooks are answered before `init`, so they never run WP-Cron: a webhook that reached
	 * no bridge itself (here `test`) still hands the spool to a bridge that is back, once the
	 * memory of its absence has passed.
	 */
	public function test_any_keyed_webhook_hands_the_spool_to_a_bridge_that_is_back(): void {
		$spooled = $this->webhook( 'wpf_action=add&access_key={key}&contact_id=9' );
		$this->assertCount( 1, $this->spool_rows() );
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/deliveries', 202, array( 'state' => 'queued', 'backlog' => 0 ) );

		$this->webhook( 'wpf_action=test&access_key={key}' );
		usleep( 300000 );
		$this->assertCount( 1, $this->spool_rows(), 'Moments after a failure the bridge is not tried again.' );

		delete_transient( 'pulse_sync_bridge_down' );
		$this->assertWebhookAnswer( 200, null, $this->webhook( 'wpf_action=test&access_key={key}' ) );
		for ( $tries = 0; $tries < 50 && array() !== $this->spool_rows(); $tries++ ) {
			usleep( 100000 ); // The hand-over runs after the answer.
		}
		$this->assertSame( array(), $this->spool_rows() );
		$handed = array_map( static fn( $request ) => json_decode( $request['body'], true )['id'], $bridge->requests() );
		$this->assertSame( array( $spooled['json']['delivery_id'] ), $handed );
	}
}
