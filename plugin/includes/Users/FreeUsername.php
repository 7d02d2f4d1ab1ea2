<?php
/**
 * Inserting a new user under the first free username.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Users;

use PulseSync\HttpError;
use PulseSync\Support\NamedLock;
use PulseSync\Support\Transaction;

defined( 'ABSPATH' ) || exit;

/**
 * The username search: tries each candidate under its own named lock, inside a transaction.
 *
 * @since 0.2.0
 */
class FreeUsername {

	/**
	 * Inserts the user under the first free username. The contact and email locks do
	 * not cover two different contacts whose names give the same username, so each
	 * candidate is locked while it is inserted; a taken one is refused by wp_insert_user
	 * (`existing_user_login`) and the next is tried. No separate `username_exists()` first:
	 * wp_insert_user asks the same question, and asking twice cost a query per user.
	 *
	 * The user and what `$mark` writes land in one transaction, committed before the
	 * username's lock is released: a worker that died after the insert but before the
	 * markers left a user that the retry found by contact or email and answered as
	 * "updated", so the generated password never reached the CRM (seen in the bench with
	 * WordPress stopped mid-storm).
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,string> $userdata Userdata without user_login.
	 * @param UserPayload          $payload  Payload.
	 * @param string               $format   Username format setting.
	 * @param callable(int):void   $mark     Writes the new user's markers and meta.
	 * @return int New user id.
	 * @throws HttpError 422 when WordPress refuses the user or no username is free.
	 */
	public static function insert( array $userdata, UserPayload $payload, string $format, callable $mark ): int {
		$candidates = array();
		$mapped     = $payload->user['user_login'] ?? '';
		if ( UsernameGenerator::is_acceptable( $mapped ) ) {
			$candidates[] = $mapped;
		}
		$generated = UsernameGenerator::candidates( $format, $payload->email, $payload->user['first_name'] ?? '', $payload->user['last_name'] ?? '' );
		foreach ( array_merge( $candidates, iterator_to_array( $generated, false ) ) as $login ) {
			$lock = 'login:' . md5( strtolower( $login ) );
			if ( ! NamedLock::acquire( $lock, WriteLocks::timeout() ) ) {
				continue;
			}
			$user_id = self::insert_locked( array_merge( $userdata, array( 'user_login' => $login ) ), $mark, $lock );
			if ( ! is_wp_error( $user_id ) ) {
				return $user_id;
			}
			if ( 'existing_user_login' !== $user_id->get_error_code() ) {
				throw new HttpError( 422, 'pulse_sync_cannot_create_user', wp_strip_all_tags( $user_id->get_error_message() ) );
			}
		}
		throw new HttpError( 422, 'pulse_sync_no_free_username', __( 'No free username could be found for the contact.', 'pulse-sync' ) );
	}

	/**
	 * Inserts the user and its markers in one transaction, then releases the username's lock.
	 *
	 * @since 0.2.0
	 *
	 * @param array<string,string> $userdata Userdata with user_login.
	 * @param callable(int):void   $mark     Writes the new user's markers and meta.
	 * @param string               $lock     The username's lock, held.
	 * @return int|\WP_Error New user id, or WordPress's refusal.
	 * @throws \Throwable What the insert or a hook threw (rolled back).
	 */
	private static function insert_locked( array $userdata, callable $mark, string $lock ) {
		$inserted = null;
		try {
			return Transaction::run(
				static function () use ( $userdata, $mark, &$inserted ) {
					$user_id = wp_insert_user( $userdata );
					if ( is_wp_error( $user_id ) ) {
						return $user_id;
					}
					$inserted = (int) $user_id;
					$mark( $inserted );
					return $inserted;
				}
			);
		} catch ( \Throwable $e ) {
			if ( null !== $inserted ) {
				// Rolled back, but cached (for good, with a persistent object cache): the retry
				// would find the email taken by a user who does not exist.
				clean_user_cache( $inserted );
			}
			throw $e;
		} finally {
			NamedLock::release( $lock );
		}
	}
}
