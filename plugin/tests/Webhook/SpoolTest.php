<?php
/**
 * Tests for the spool and its cron hand-over.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Webhook;

use PulseSync\AccessKey;
use PulseSync\Bridge\Client;
use PulseSync\Tests\Support\PluginTestCase;
use PulseSync\Webhook\Spool;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Webhook\Spool
 */
class SpoolTest extends PluginTestCase {

	/**
	 * A delivery as the listener builds it.
	 *
	 * @param string $id Delivery id.
	 * @return array<string,mixed>
	 */
	private static function delivery( string $id ): array {
		return array(
			'id'          => $id,
			'action'      => 'add',
			'contact_id'  => 7,
			'params'      => array( 'send_notification' => false ),
			'source_ip'   => '127.0.0.1',
			'received_at' => '2026-01-01T00:00:00Z',
			'wait_ms'     => 3000,
		);
	}

	/**
	 * Storing the same delivery twice keeps one row.
	 */
	public function test_storing_the_same_delivery_twice_keeps_one_row(): void {
		$this->assertTrue( Spool::store( self::delivery( 'msg_a' ) ) );
		$this->assertTrue( Spool::store( self::delivery( 'msg_a' ) ) );
		$this->assertSame( 1, Spool::count() );
	}

	/**
	 * Flush hands over oldest first without waiting and deletes.
	 */
	public function test_flush_hands_over_oldest_first_without_waiting_and_deletes(): void {
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/deliveries', 202, array( 'state' => 'queued', 'backlog' => 0 ) );
		Spool::store( self::delivery( 'msg_a' ) );
		Spool::store( self::delivery( 'msg_b' ) );

		$this->assertSame( 2, Spool::flush( Client::from_settings(), 10 ) );

		$sent = array_map( static fn( $request ) => json_decode( $request['body'], true ), $bridge->requests() );
		$this->assertSame( array( 'msg_a', 'msg_b' ), array_column( $sent, 'id' ) );
		$this->assertSame( array( 0, 0 ), array_column( $sent, 'wait_ms' ) );
		$this->assertSame( 0, Spool::count() );
	}

	/**
	 * A failed hand over keeps the delivery and backs off.
	 */
	public function test_a_failed_hand_over_keeps_the_delivery_and_backs_off(): void {
		$this->point_bridge_at_closed_port();
		Spool::store( self::delivery( 'msg_a' ) );
		Spool::store( self::delivery( 'msg_b' ) );

		$this->assertSame( 0, Spool::flush( Client::from_settings(), 10 ) );

		$rows = $this->spool_rows();
		$this->assertCount( 2, $rows );
		$this->assertSame( '1', (string) $rows[0]['attempts'] );
		$this->assertGreaterThan( gmdate( 'Y-m-d H:i:s' ), $rows[0]['next_attempt_at'] );
		$this->assertSame( '0', (string) $rows[1]['attempts'], 'The flush stops at the first failure.' );
	}

	/**
	 * Regression: deliveries that backed off while the bridge was away waited out their
	 * back-off (up to 15 minutes) even after the bridge answered a later webhook again.
	 */
	public function test_a_bridge_that_is_back_receives_backed_off_deliveries_at_once(): void {
		$this->point_bridge_at_closed_port();
		Spool::store( self::delivery( 'msg_a' ) );
		$this->assertSame( 0, Spool::flush( Client::from_settings(), 10 ) );

		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/deliveries', 202, array( 'state' => 'queued', 'backlog' => 0 ) );
		$this->assertSame( 0, Spool::flush( Client::from_settings(), 10 ), 'Cron respects the back-off.' );
		$this->assertSame( 1, Spool::flush( Client::from_settings(), 10, true ) );
		$this->assertSame( 0, Spool::count() );
	}

	/**
	 * Regression: a delivery the bridge always refuses (a 4xx for that delivery), when first,
	 * stopped every hand-over after it: each flush tried it first and gave up. It now ends
	 * failed, visible and replayable, and the ones after it are handed over.
	 */
	public function test_a_delivery_the_bridge_always_refuses_does_not_stop_the_ones_after_it(): void {
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/deliveries', 202, array( 'state' => 'queued', 'backlog' => 0 ) );
		$bridge->answer_delivery( 'msg_poisoned', 400, array( 'error' => 'invalid_request', 'message' => 'params.role must be a string.' ) );
		Spool::store( self::delivery( 'msg_poisoned' ) );
		Spool::store( self::delivery( 'msg_b' ) );
		Spool::store( self::delivery( 'msg_c' ) );

		$this->assertSame( 2, Spool::flush( Client::from_settings(), 10, true ) );

		$this->assertSame( 0, Spool::count() );
		$this->assertSame( 1, Spool::count_failed() );
		$failed = Spool::failed( 10 );
		$this->assertCount( 1, $failed );
		$this->assertSame( 'msg_poisoned', $failed[0]['delivery_id'] );
		$this->assertSame( 'add', $failed[0]['action'] );
		$this->assertSame( 7, $failed[0]['contact_id'] );
		$this->assertSame( 1, $failed[0]['attempts'] );
		$this->assertSame( 'HTTP 400 invalid_request: params.role must be a string.', $failed[0]['error'] );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $failed[0]['failed_at'] );

		// Not tried again by later flushes, even when the bridge has just answered.
		$this->assertSame( 0, Spool::flush( Client::from_settings(), 10, true ) );
		$this->assertCount( 3, $bridge->requests() );

		// Replayed once the bridge takes it (say, after an upgrade): handed over and gone.
		$bridge->answer_delivery( 'msg_poisoned', 202, array( 'state' => 'queued', 'backlog' => 0 ) );
		$this->assertTrue( Spool::replay( $failed[0]['id'] ) );
		$this->assertFalse( Spool::replay( $failed[0]['id'] ), 'Only a failed delivery can be replayed.' );
		$this->assertSame( 1, Spool::flush( Client::from_settings(), 10 ) );
		$this->assertSame( 0, Spool::count() + Spool::count_failed() );
	}

	/**
	 * A refused delivery can be discarded; a pending one cannot.
	 */
	public function test_a_failed_delivery_can_be_discarded(): void {
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/deliveries', 422, array( 'error' => 'invalid_request', 'message' => 'No.' ) );
		Spool::store( self::delivery( 'msg_a' ) );
		Spool::flush( Client::from_settings(), 10 );
		$id = Spool::failed( 1 )[0]['id'];
		Spool::store( self::delivery( 'msg_pending' ) );
		$pending_id = (int) $this->spool_rows()[1]['id'];

		$this->assertFalse( Spool::discard( $pending_id ) );
		$this->assertTrue( Spool::discard( $id ) );
		$this->assertSame( 0, Spool::count_failed() );
		$this->assertSame( 1, Spool::count() );
	}

	/**
	 * A refusal that speaks of the bridge, not of the delivery (bad pairing, wrong URL, overload),
	 * fails nothing: the flush stops and the delivery backs off as when the bridge is away.
	 *
	 * @dataProvider bridge_side_refusals
	 *
	 * @param int $status The bridge's status.
	 */
	public function test_a_bridge_side_refusal_backs_off_and_fails_nothing( int $status ): void {
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/deliveries', $status, array( 'error' => 'nope', 'message' => 'Nope.' ) );
		Spool::store( self::delivery( 'msg_a' ) );
		Spool::store( self::delivery( 'msg_b' ) );

		$this->assertSame( 0, Spool::flush( Client::from_settings(), 10 ) );

		$this->assertSame( 0, Spool::count_failed() );
		$this->assertCount( 1, $bridge->requests() );
		$rows = $this->spool_rows();
		$this->assertSame( '1', (string) $rows[0]['attempts'] );
		$this->assertSame( "HTTP {$status} nope: Nope.", $rows[0]['last_error'] );
	}

	/**
	 * Statuses that blame the bridge or the pairing.
	 *
	 * @return array<string,array{0:int}>
	 */
	public function bridge_side_refusals(): array {
		return array(
			'401 bad signature' => array( 401 ),
			'404 no such route' => array( 404 ),
			'429 overloaded'    => array( 429 ),
			'500 broken'        => array( 500 ),
		);
	}

	/**
	 * A corrupt row is kept as failed for the owner to see, not deleted unseen.
	 */
	public function test_a_corrupt_row_ends_failed_not_deleted(): void {
		global $wpdb;
		$this->start_fake_bridge()->answer( '/v1/deliveries', 202, array( 'state' => 'queued', 'backlog' => 0 ) );
		$now = gmdate( 'Y-m-d H:i:s' );
		$wpdb->insert( Spool::table(), array( 'delivery_id' => 'msg_corrupt', 'payload' => '{"id":', 'created_at' => $now, 'next_attempt_at' => $now ) );
		Spool::store( self::delivery( 'msg_b' ) );

		$this->assertSame( 1, Spool::flush( Client::from_settings(), 10 ) );

		$failed = Spool::failed( 10 );
		$this->assertSame( array( 'msg_corrupt' ), array_column( $failed, 'delivery_id' ) );
		$this->assertSame( 'The stored delivery is not valid JSON.', $failed[0]['error'] );
	}

	/**
	 * Regression: the spool had no cap, so a long bridge outage during CRM storms grew the
	 * site's database without bound. A full spool refuses (the webhook is answered 503).
	 */
	public function test_a_full_spool_refuses_new_deliveries(): void {
		add_filter( 'pulse_sync_spool_max_rows', $cap = static fn(): int => 3 );
		try {
			$this->assertTrue( Spool::store( self::delivery( 'msg_1' ) ) );
			$this->assertTrue( Spool::store( self::delivery( 'msg_2' ) ) );
			$this->assertTrue( Spool::store( self::delivery( 'msg_3' ) ) );
			$this->assertTrue( Spool::is_full() );
			$this->assertFalse( Spool::store( self::delivery( 'msg_4' ) ) );
			$this->assertSame( 3, Spool::count() );

			// Rows handed over make room again, even when the ids leave holes.
			global $wpdb;
			$wpdb->delete( Spool::table(), array( 'delivery_id' => 'msg_2' ) );
			$this->assertFalse( Spool::is_full() );
			$this->assertTrue( Spool::store( self::delivery( 'msg_4' ) ) );
		} finally {
			remove_filter( 'pulse_sync_spool_max_rows', $cap );
		}
	}

	/**
	 * A webhook that finds the bridge away and the spool full is answered 503 + Retry-After,
	 * so the CRM reports it rather than the site claiming it was stored.
	 */
	public function test_a_webhook_is_answered_503_when_the_spool_is_full(): void {
		$this->point_bridge_at_closed_port();
		$mu_plugin = WPMU_PLUGIN_DIR . '/pulse-sync-test-spool-cap.php';
		file_put_contents( $mu_plugin, "<?php\nadd_filter( 'pulse_sync_spool_max_rows', static fn() => 1 );\n" ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents -- a throwaway must-use plugin.
		try {
			// Through WordPress (`/index.php`): the lean endpoint of the nginx rule loads no
			// must-use plugin, so the filter would not apply there.
			$this->assertWebhookAnswer( 202, null, $this->http( 'GET', '/index.php?wpf_action=add&access_key=' . AccessKey::get() . '&contact_id=7' ) );
			$full = $this->http( 'GET', '/index.php?wpf_action=add&access_key=' . AccessKey::get() . '&contact_id=8' );
		} finally {
			unlink( $mu_plugin ); // phpcs:ignore WordPress.WP.AlternativeFunctions.unlink_unlink
		}
		$this->assertWebhookAnswer( 503, 'storage_unavailable', $full );
		$this->assertSame( '60', $full['headers']['retry-after'] ?? null );
		$this->assertCount( 1, $this->spool_rows() );
	}

	/**
	 * Cron event is scheduled every minute.
	 */
	public function test_cron_event_is_scheduled_every_minute(): void {
		$this->assertNotFalse( wp_next_scheduled( Spool::CRON_HOOK ) );
		$this->assertSame( Spool::CRON_SCHEDULE, wp_get_schedule( Spool::CRON_HOOK ) );
		$this->assertSame( 60, wp_get_schedules()[ Spool::CRON_SCHEDULE ]['interval'] );
	}

	/**
	 * Cron flush uses the configured bridge.
	 */
	public function test_cron_flush_uses_the_configured_bridge(): void {
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/deliveries', 200, array( 'state' => 'done', 'result' => array( 'status' => 'updated', 'user_id' => 3 ) ) );
		Spool::store( self::delivery( 'msg_cron' ) );
		do_action( Spool::CRON_HOOK );
		$this->assertSame( 0, Spool::count() );
		$this->assertCount( 1, $bridge->requests() );
	}
}
