<?php
/**
 * Forwarding to the bridge, waiting and answering, over real HTTP with a scripted bridge.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Webhook;

use PulseSync\Settings;
use PulseSync\Settings\Revision;
use PulseSync\Tests\Support\FakeBridge;
use PulseSync\Tests\Support\PluginTestCase;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Webhook\Dispatcher
 * @covers \PulseSync\Webhook\FlowControl
 * @covers \PulseSync\Bridge\Client
 */
class DispatcherTest extends PluginTestCase {

	/**
	 * The scripted bridge.
	 *
	 * @var FakeBridge
	 */
	private FakeBridge $bridge;

	/**
	 * Starts each test from a known state.
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->bridge = $this->start_fake_bridge();
	}

	/**
	 * Done within the budget answers 200 with the result.
	 */
	public function test_done_within_the_budget_answers_200_with_the_result(): void {
		$this->bridge->answer( '/v1/deliveries', 200, array( 'delivery_id' => 'x', 'state' => 'done', 'result' => array( 'status' => 'created', 'user_id' => 5 ) ) );
		$response = $this->webhook( 'wpf_action=add&access_key={key}&contact_id=7&send_notification=true' );
		$this->assertWebhookAnswer( 200, null, $response );
		$this->assertSame( 'add', $response['json']['action'] );
		$this->assertSame( 7, $response['json']['contact_id'] );
		$this->assertSame( 'created', $response['json']['status'] );
		$this->assertSame( 5, $response['json']['user_id'] );

		$requests = $this->bridge->requests();
		$this->assertCount( 1, $requests );
		$sent = json_decode( $requests[0]['body'], true );
		$this->assertSame( $response['json']['delivery_id'], $sent['id'] );
		$this->assertSame( 3000, $sent['wait_ms'] );
		$this->assertSame( array( 'send_notification' => true ), $sent['params'] );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $sent['received_at'] );
		$this->assertSignedWithTheSiteSecret( $requests[0] );
		// The delivery id travels in the body; every hand-over has a fresh webhook-id, which the bridge refuses to see twice.
		$this->assertMatchesRegularExpression( '/^msg_[0-9a-f]{32}$/', $requests[0]['headers']['webhook-id'] );
		$this->assertNotSame( $sent['id'], $requests[0]['headers']['webhook-id'] );
		$this->assertSame( (string) Revision::current(), $requests[0]['headers']['x-pulse-sync-settings-rev'] );
	}

	/**
	 * Failed contact not found answers 404.
	 */
	public function test_failed_contact_not_found_answers_404(): void {
		$this->bridge->answer(
			'/v1/deliveries',
			200,
			array(
				'delivery_id' => 'x',
				'state'       => 'failed',
				'error'       => array( 'code' => 'contact_not_found', 'message' => 'Contact 7 was not found in the CRM.', 'http_status' => 404 ),
			)
		);
		$this->assertWebhookAnswer( 404, 'contact_not_found', $this->webhook( 'wpf_action=add&access_key={key}&contact_id=7' ) );
	}

	/**
	 * Failed without email answers 422.
	 */
	public function test_failed_without_email_answers_422(): void {
		$this->bridge->answer( '/v1/deliveries', 200, array( 'state' => 'failed', 'error' => array( 'code' => 'invalid_email', 'message' => 'No email.', 'http_status' => 422 ) ) );
		$this->assertWebhookAnswer( 422, 'invalid_email', $this->webhook( 'wpf_action=add&access_key={key}&contact_id=7' ) );
	}

	/**
	 * A reported backlog stops waiting for the next webhooks.
	 */
	public function test_a_reported_backlog_stops_waiting_for_the_next_webhooks(): void {
		$this->bridge->answer( '/v1/deliveries', 202, array( 'delivery_id' => 'x', 'state' => 'queued', 'backlog' => 250 ) );
		$first = $this->webhook( 'wpf_action=update&access_key={key}&contact_id=7' );
		$this->assertWebhookAnswer( 202, null, $first );
		$this->assertSame( 'queued', $first['json']['status'] );
		$this->webhook( 'wpf_action=update&access_key={key}&contact_id=8' );
		$sent = array_map( static fn( $request ) => json_decode( $request['body'], true )['wait_ms'], $this->bridge->requests() );
		$this->assertSame( array( 3000, 0 ), $sent );
		$this->assertSame( array(), $this->spool_rows(), 'A delivery the bridge queued is not spooled.' );
	}

	/**
	 * No waiting slots means no waiting.
	 */
	public function test_no_waiting_slots_means_no_waiting(): void {
		Settings::update( array( 'max_waiting_workers' => 0 ) );
		$this->bridge->answer( '/v1/deliveries', 202, array( 'state' => 'queued', 'backlog' => 0 ) );
		$this->webhook( 'wpf_action=add&access_key={key}&contact_id=7' );
		$this->assertSame( 0, json_decode( $this->bridge->requests()[0]['body'], true )['wait_ms'] );
	}

	/**
	 * A bridge error spools the delivery instead of losing it.
	 */
	public function test_a_bridge_error_spools_the_delivery_instead_of_losing_it(): void {
		$this->bridge->answer( '/v1/deliveries', 500, array( 'error' => 'internal', 'message' => 'boom' ) );
		$response = $this->webhook( 'wpf_action=add&access_key={key}&contact_id=7' );
		$this->assertWebhookAnswer( 202, null, $response );
		$this->assertSame( $response['json']['delivery_id'], $this->spool_rows()[0]['delivery_id'] );
	}

	/**
	 * A bridge refusing the signature spools too.
	 */
	public function test_a_bridge_refusing_the_signature_spools_too(): void {
		$this->bridge->answer( '/v1/deliveries', 401, array( 'error' => 'invalid_signature', 'message' => 'bad' ) );
		$this->assertWebhookAnswer( 202, null, $this->webhook( 'wpf_action=add&access_key={key}&contact_id=7' ) );
		$this->assertCount( 1, $this->spool_rows() );
	}

	/**
	 * Later webhooks hand spooled deliveries to the returning bridge.
	 */
	public function test_later_webhooks_hand_spooled_deliveries_to_the_returning_bridge(): void {
		$this->point_bridge_at_closed_port();
		$spooled = $this->webhook( 'wpf_action=add&access_key={key}&contact_id=7' )['json']['delivery_id'];
		self::forget_bridge_state();
		$this->point_bridge_at( $this->bridge->url() );
		$this->bridge->answer( '/v1/deliveries', 202, array( 'state' => 'queued', 'backlog' => 0 ) );

		$this->assertWebhookAnswer( 202, null, $this->webhook( 'wpf_action=update&access_key={key}&contact_id=8' ) );

		$handed_over = $this->wait_for( fn() => 2 === count( $this->bridge->requests() ) && array() === $this->spool_rows() );
		$this->assertTrue( $handed_over, 'The spooled delivery should follow the live one.' );
		$second = json_decode( $this->bridge->requests()[1]['body'], true );
		$this->assertSame( $spooled, $second['id'] );
		$this->assertSame( 0, $second['wait_ms'] );
		$this->assertNotSame( $this->bridge->requests()[0]['headers']['webhook-id'], $this->bridge->requests()[1]['headers']['webhook-id'] );
		$this->assertSignedWithTheSiteSecret( $this->bridge->requests()[1] );
	}

	/**
	 * Regression: a `skipped` answer for a protected user (an administrator whose email a
	 * contact carries) told whoever holds the key that administrator's user id.
	 */
	public function test_a_skipped_protected_user_is_answered_without_its_user_id(): void {
		$this->bridge->answer( '/v1/deliveries', 200, array( 'delivery_id' => 'x', 'state' => 'done', 'result' => array( 'status' => 'skipped', 'user_id' => 1, 'reason' => 'protected_user' ) ) );
		$response = $this->webhook( 'wpf_action=update&access_key={key}&contact_id=7' );
		$this->assertWebhookAnswer( 200, null, $response );
		$this->assertSame( 'skipped', $response['json']['status'] );
		$this->assertSame( 'protected_user', $response['json']['reason'] );
		$this->assertArrayHasKey( 'user_id', $response['json'] );
		$this->assertNull( $response['json']['user_id'] );
		$this->assertStringNotContainsString( '"user_id":1', $response['body'] );
	}

	/**
	 * The bridge outage is remembered so a burst spools at once.
	 */
	public function test_the_bridge_outage_is_remembered_so_a_burst_spools_at_once(): void {
		$this->point_bridge_at_closed_port();
		$this->webhook( 'wpf_action=add&access_key={key}&contact_id=7' );
		$this->point_bridge_at( $this->bridge->url() );
		$this->webhook( 'wpf_action=add&access_key={key}&contact_id=8' );
		$this->assertSame( array(), $this->bridge->requests() );
		$this->assertCount( 2, $this->spool_rows() );
	}

	/**
	 * A burst while the bridge is away: every webhook is answered 202 and stored.
	 */
	public function test_a_burst_with_the_bridge_away_is_all_spooled(): void {
		$this->point_bridge_at_closed_port();
		$answers  = $this->parallel_webhooks( array_map( static fn( int $i ): string => "wpf_action=update&access_key={key}&contact_id={$i}", range( 1, 40 ) ) );
		$statuses = array_column( $answers, 'status' );
		$this->assertSame( array_fill( 0, 40, 202 ), $statuses );
		$this->assertSame( range( 1, 40 ), $this->sorted_contact_ids() );
	}

	/**
	 * Contact ids in the spool, sorted.
	 *
	 * @return int[]
	 */
	private function sorted_contact_ids(): array {
		$ids = array_map( 'intval', array_column( array_column( $this->spool_rows(), 'payload' ), 'contact_id' ) );
		sort( $ids );
		return $ids;
	}

	/**
	 * Asserts a recorded request carries a valid plugin → bridge signature of the site's secret
	 * over its method, path, query and body (docs/architecture.md, "Signing"), computed here
	 * independently of the Signature class.
	 *
	 * @param array $request Recorded request.
	 * @return void
	 */
	private function assertSignedWithTheSiteSecret( array $request ): void {
		$master   = base64_decode( substr( (string) get_option( 'pulse_sync_bridge_secret' ), strlen( 'whsec_' ) ) );
		$key      = hash_hmac( 'sha256', 'pulse-sync/plugin-to-bridge', $master, true );
		$query    = (string) parse_url( $request['uri'], PHP_URL_QUERY );
		$content  = "pulse-sync/plugin-to-bridge\n{$request['method']}\n{$request['path']}\n{$query}\n{$request['body']}";
		$expected = 'v1,' . base64_encode( hash_hmac( 'sha256', $request['headers']['webhook-id'] . '.' . $request['headers']['webhook-timestamp'] . '.' . $content, $key, true ) );
		$this->assertSame( $expected, $request['headers']['webhook-signature'] );
		$this->assertEqualsWithDelta( time(), (int) $request['headers']['webhook-timestamp'], 30 );
	}

	/**
	 * Polls a condition for up to five seconds.
	 *
	 * @param callable():bool $condition Condition.
	 * @return bool
	 */
	private function wait_for( callable $condition ): bool {
		for ( $i = 0; $i < 50; $i++ ) {
			$this->fresh();
			if ( $condition() ) {
				return true;
			}
			usleep( 100000 );
		}
		return false;
	}
}
