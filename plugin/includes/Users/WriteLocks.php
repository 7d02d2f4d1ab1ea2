<?php
/**
 * The named locks a user write holds: one for the contact, one for the email.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Users;

use PulseSync\HttpError;
use PulseSync\Support\NamedLock;

defined( 'ABSPATH' ) || exit;

/**
 * Runs a piece of work under the MariaDB named locks `contact:{id}` and `email:{md5}`.
 *
 * WordPress has no unique index that would stop a second user for one contact or one
 * email, so every find-or-create and every change of a contact link runs under these
 * locks, always taken in sorted order so two writers can never wait for each other in
 * a circle.
 *
 * @since 0.2.0
 */
class WriteLocks {

	/**
	 * Runs `$work` with the locks of a contact and an email held.
	 *
	 * @since 0.2.0
	 *
	 * @template T
	 * @param int             $contact_id CRM contact id.
	 * @param string          $email      Email ('' takes no email lock).
	 * @param callable():T    $work       The work.
	 * @return T
	 * @throws HttpError 503 `pulse_sync_busy` when a lock is not free within the timeout.
	 */
	public static function run( int $contact_id, string $email, callable $work ) {
		$locks = self::names( $contact_id, $email );
		self::acquire( $locks );
		try {
			return $work();
		} finally {
			foreach ( array_reverse( $locks ) as $lock ) {
				NamedLock::release( $lock );
			}
		}
	}

	/**
	 * How long a writer waits for a lock.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Moved from Upserter.
	 *
	 * @return int Seconds.
	 */
	public static function timeout(): int {
		/**
		 * Filters how long a user write waits for another write of the same contact or email.
		 *
		 * @since 0.1.0
		 *
		 * @param int $seconds Default 10.
		 */
		return max( 0, (int) apply_filters( 'pulse_sync_user_lock_timeout', 10 ) );
	}

	/**
	 * The lock names, sorted.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Moved from Upserter.
	 *
	 * @param int    $contact_id CRM contact id.
	 * @param string $email      Email.
	 * @return string[]
	 */
	private static function names( int $contact_id, string $email ): array {
		$locks = array( 'contact:' . $contact_id );
		if ( '' !== $email ) {
			$locks[] = 'email:' . md5( strtolower( $email ) );
		}
		sort( $locks );
		return $locks;
	}

	/**
	 * Takes every lock or none.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Moved from Upserter.
	 *
	 * @param string[] $locks Sorted lock names.
	 * @return void
	 * @throws HttpError 503 when a lock is not free within the timeout.
	 */
	private static function acquire( array $locks ): void {
		$held = array();
		foreach ( $locks as $lock ) {
			if ( ! NamedLock::acquire( $lock, self::timeout() ) ) {
				foreach ( array_reverse( $held ) as $taken ) {
					NamedLock::release( $taken );
				}
				throw new HttpError( 503, 'pulse_sync_busy', __( 'Another write for this contact is still running; retry shortly.', 'pulse-sync' ) );
			}
			$held[] = $lock;
		}
	}
}
