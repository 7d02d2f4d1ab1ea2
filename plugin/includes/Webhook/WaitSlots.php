<?php
/**
 * Limits how many PHP workers wait on the bridge at once.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Webhook;

use PulseSync\Settings;
use PulseSync\Support\NamedLock;

defined( 'ABSPATH' ) || exit;

/**
 * Waiting slots as MariaDB named locks `wait:0` … `wait:N-1`.
 *
 * A bulk edit in the CRM sends thousands of webhooks within seconds; if every
 * PHP worker waited for its job the site would run out of workers and go down.
 * So only N workers wait (the rest hand over and answer 202 at once), and none
 * waits while the bridge reported a backlog, because a job behind a queue would
 * not finish within the wait budget anyway.
 *
 * @since 0.1.0
 */
class WaitSlots {

	public const BACKLOG_TRANSIENT = 'pulse_sync_bridge_backlog';

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
}
