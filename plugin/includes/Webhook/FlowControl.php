<?php
/**
 * The plugin's side of flow control: how many PHP workers wait on the bridge, and when none does.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Webhook;

use PulseSync\Settings;
use PulseSync\Support\NamedLock;

defined( 'ABSPATH' ) || exit;

/**
 * A webhook holds a PHP worker while it waits for the bridge, and the bridge's job needs
 * another worker of the same site for its user write (the nested call: WordPress → bridge →
 * WordPress). A bulk edit in the CRM sends thousands of webhooks within seconds; if every worker
 * waited, none would be left for the writes and the site would go down. So:
 *
 * - waiting slots, MariaDB named locks `wait:0` … `wait:N-1` (setting `max_waiting_workers`):
 *   only N workers wait, the rest hand over and answer 202 at once;
 * - the backlog transient: none waits for a while after the bridge reported a backlog (or a
 *   storm), because a job behind a queue would not finish within the wait budget anyway;
 * - the bridge-down transient: after the bridge could not be reached, webhooks spool at once for
 *   a while instead of each worker waiting for a connection timeout.
 *
 * The bridge's side (its storm meter and write batcher) is described in docs/architecture.md,
 * "The nested call and flow control".
 *
 * @since 0.3.0 (0.1.0 as WaitSlots)
 */
class FlowControl {

	private const BACKLOG_TRANSIENT     = 'pulse_sync_bridge_backlog';
	private const BRIDGE_DOWN_TRANSIENT = 'pulse_sync_bridge_down';

	/**
	 * The options behind the transients this class reads, so a webhook can load them with the
	 * others it needs in one query (Support/OptionCache.php); transients are not autoloaded.
	 *
	 * @since 0.3.0
	 *
	 * @return string[]
	 */
	public static function transient_options(): array {
		$options = array();
		foreach ( array( self::BACKLOG_TRANSIENT, self::BRIDGE_DOWN_TRANSIENT ) as $transient ) {
			$options[] = '_transient_timeout_' . $transient;
			$options[] = '_transient_' . $transient;
		}
		return $options;
	}

	/**
	 * Takes a free slot without waiting for one.
	 *
	 * @since 0.1.0
	 *
	 * @return string|null The slot's lock name, or null when none is free or a backlog was reported.
	 */
	public static function acquire(): ?string {
		if ( self::backlog_reported() ) {
			return null;
		}
		$slots = (int) Settings::get( 'max_waiting_workers' );
		for ( $slot = 0; $slot < $slots; $slot++ ) {
			$name = 'wait:' . $slot;
			if ( NamedLock::acquire( $name, 0 ) ) {
				return $name;
			}
		}
		return null;
	}

	/**
	 * Frees a slot.
	 *
	 * @since 0.1.0
	 *
	 * @param string $name The slot's lock name.
	 * @return void
	 */
	public static function release( string $name ): void {
		NamedLock::release( $name );
	}

	/**
	 * Remembers that the bridge reported queued work, so workers stop waiting for a while.
	 * A backlog already remembered is left as it is: during a storm every answer reports one,
	 * and rewriting the transient cost each webhook three more queries, two of them writes.
	 * The memory then runs out mid-storm now and then; the next answer notes it again, and
	 * the bridge holds no webhook during a storm anyway.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function note_backlog(): void {
		if ( self::backlog_reported() ) {
			return;
		}
		/**
		 * Filters how long workers stop waiting after the bridge reported a backlog.
		 *
		 * @since 0.1.0
		 *
		 * @param int $seconds Default 10.
		 */
		set_transient( self::BACKLOG_TRANSIENT, 1, max( 1, (int) apply_filters( 'pulse_sync_backlog_memory_seconds', 10 ) ) );
	}

	/**
	 * Whether a backlog was reported recently.
	 *
	 * @since 0.1.0
	 *
	 * @return bool
	 */
	public static function backlog_reported(): bool {
		return false !== get_transient( self::BACKLOG_TRANSIENT );
	}

	/**
	 * Remembers briefly that the bridge is away, so a burst of webhooks spools at once
	 * instead of each worker waiting for a connection timeout.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function note_bridge_down(): void {
		/**
		 * Filters how long webhooks skip the bridge after it could not be reached.
		 *
		 * @since 0.1.0
		 *
		 * @param int $seconds Default 10.
		 */
		set_transient( self::BRIDGE_DOWN_TRANSIENT, 1, max( 1, (int) apply_filters( 'pulse_sync_bridge_down_memory_seconds', 10 ) ) );
	}

	/**
	 * Whether the bridge could not be reached moments ago (see note_bridge_down()).
	 *
	 * @since 0.1.0
	 *
	 * @return bool
	 */
	public static function bridge_down_reported(): bool {
		return false !== get_transient( self::BRIDGE_DOWN_TRANSIENT );
	}
}
