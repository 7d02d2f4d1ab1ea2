<?php
/**
 * Tests for the spool and its cron hand-over.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Webhook;

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
