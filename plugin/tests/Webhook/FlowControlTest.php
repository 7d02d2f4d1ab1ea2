<?php
/**
 * Tests for the flow control: waiting slots, backlog and bridge-down memory.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Webhook;

use PulseSync\Settings;
use PulseSync\Support\NamedLock;
use PulseSync\Tests\Support\PluginTestCase;
use PulseSync\Webhook\FlowControl;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Webhook\FlowControl
 * @covers \PulseSync\Support\NamedLock
 */
class FlowControlTest extends PluginTestCase {

	/**
	 * A second database connection, standing for another PHP worker.
	 *
	 * @var \wpdb|null
	 */
	private ?\wpdb $other_worker = null;

	/**
	 * Closes the other worker's connection, which frees its locks.
	 */
	protected function tearDown(): void {
		if ( null !== $this->other_worker ) {
			$this->other_worker->close();
		}
		parent::tearDown();
	}

	/**
	 * Another worker takes a slot.
	 *
	 * @param int $slot Slot number.
	 * @return void
	 */
	private function other_worker_takes( int $slot ): void {
		if ( null === $this->other_worker ) {
			$this->other_worker = new \wpdb( DB_USER, DB_PASSWORD, DB_NAME, DB_HOST );
		}
		$this->assertSame( '1', (string) $this->other_worker->get_var( $this->other_worker->prepare( 'SELECT GET_LOCK(%s, 0)', NamedLock::scoped_name( 'wait:' . $slot ) ) ) );
	}

	/**
	 * A free slot is taken, and given back.
	 */
	public function test_takes_a_free_slot(): void {
		$slot = FlowControl::acquire();
		$this->assertSame( 'wait:0', $slot );
		FlowControl::release( $slot );
	}

	/**
	 * With the first slot busy, the second is taken.
	 */
	public function test_skips_busy_slots(): void {
		$this->other_worker_takes( 0 );
		$slot = FlowControl::acquire();
		$this->assertSame( 'wait:1', $slot );
		FlowControl::release( $slot );
	}

	/**
	 * With every slot busy, nobody else waits.
	 */
	public function test_no_slot_when_all_are_busy(): void {
		$this->other_worker_takes( 0 );
		$this->other_worker_takes( 1 );
		$this->assertNull( FlowControl::acquire() );
	}

	/**
	 * The number of slots is the max_waiting_workers setting.
	 */
	public function test_slot_count_follows_the_setting(): void {
		Settings::update( array( 'max_waiting_workers' => 3 ) );
		$this->other_worker_takes( 0 );
		$this->other_worker_takes( 1 );
		$slot = FlowControl::acquire();
		$this->assertSame( 'wait:2', $slot );
		FlowControl::release( $slot );
	}

	/**
	 * After the bridge reports a backlog, nobody waits, slots or not.
	 */
	public function test_no_slot_while_a_backlog_is_remembered(): void {
		FlowControl::note_backlog();
		$this->assertNull( FlowControl::acquire() );
	}

	/**
	 * A backlog already remembered is not written again (each storm answer reports one).
	 */
	public function test_a_remembered_backlog_is_not_written_again(): void {
		FlowControl::note_backlog();
		$expires = time() + 3;
		update_option( '_transient_timeout_pulse_sync_bridge_backlog', $expires );
		FlowControl::note_backlog();
		$this->assertSame( $expires, (int) get_option( '_transient_timeout_pulse_sync_bridge_backlog' ) );
		$this->assertTrue( FlowControl::backlog_reported() );
	}
}
