<?php
/**
 * Slows down repeated wrong access keys.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Webhook;

use PulseSync\HttpError;
use PulseSync\Support\Throttle;

defined( 'ABSPATH' ) || exit;

/**
 * The `key` scope of the failure throttle (see PulseSync\Support\Throttle): answers a
 * wrong access key with 403, or with 429 + Retry-After while the caller's address
 * (IPv6: its /64) is locked out or the site's global budget of wrong keys is spent.
 *
 * The listener compares the key first and asks this class only about a wrong one,
 * so the CRM's webhooks are never refused because someone behind the same proxy,
 * CDN or /64 sent wrong keys. A weak key (one pasted from the reference integration)
 * is therefore protected by its length alone; the panel warns about it.
 *
 * @since 0.1.0
 */
class KeyThrottle {

	/**
	 * Scope name; names the filters `pulse_sync_key_throttle` and `pulse_sync_key_is_throttled`.
	 *
	 * @since 0.2.0
	 */
	public const SCOPE = 'key';

	/**
	 * The caller's IP address.
	 *
	 * @since 0.1.0
	 * @var string
	 */
	private string $ip;

	/**
	 * The failure throttle of the `key` scope.
	 *
	 * @since 0.2.0
	 * @var Throttle
	 */
	private Throttle $throttle;

	/**
	 * Constructor.
	 *
	 * @since 0.1.0
	 *
	 * @param string $ip Caller's IP address.
	 */
	public function __construct( string $ip ) {
		$this->ip       = $ip;
		$this->throttle = new Throttle( self::SCOPE );
	}

	/**
	 * Refuses a request whose key was wrong or missing: 429 while throttled (the failure
	 * is then not counted again), else the failure is counted and the answer is 403
	 * (or 429 when it ranked above the limit, e.g. one of many sent in parallel).
	 *
	 * @since 0.2.0
	 *
	 * @param int $now Unix seconds.
	 * @return void Never returns.
	 * @throws HttpError Always: 429 with Retry-After, or 403.
	 * @throws \PulseSync\Support\DatabaseError When the throttle's table cannot be used.
	 */
	public function refuse_wrong_key( int $now ): void {
		$this->assert_allowed( $now );
		$retry_after = $this->record_failure( $now );
		if ( $retry_after > 0 ) {
			throw self::throttled( $retry_after );
		}
		throw new HttpError( 403, 'invalid_access_key', __( 'The access key is missing or wrong.', 'pulse-sync' ) );
	}

	/**
	 * Refuses with 429 while wrong keys from this address are throttled. Ask only about a
	 * request whose key was wrong: the right key is never throttled.
	 *
	 * @since 0.1.0
	 *
	 * @param int $now Unix seconds.
	 * @return void
	 * @throws HttpError 429 with Retry-After.
	 * @throws \PulseSync\Support\DatabaseError When the throttle's table cannot be read.
	 */
	public function assert_allowed( int $now ): void {
		$retry_after = $this->throttle->retry_after( $this->ip, $now );
		if ( $retry_after > 0 ) {
			throw self::throttled( $retry_after );
		}
	}

	/**
	 * Counts a wrong key from this address.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Returns the seconds to wait when this failure is throttled itself.
	 *
	 * @param int $now Unix seconds.
	 * @return int Seconds to wait (0 = answer 403).
	 * @throws \PulseSync\Support\DatabaseError When the throttle's table cannot be written.
	 */
	public function record_failure( int $now ): int {
		return $this->throttle->record_failure( $this->ip, $now );
	}

	/**
	 * The 429 answer.
	 *
	 * @since 0.2.0
	 *
	 * @param int $retry_after Seconds.
	 * @return HttpError
	 */
	private static function throttled( int $retry_after ): HttpError {
		return new HttpError(
			429,
			'too_many_bad_keys',
			__( 'Too many requests with a wrong access key from this address; try again later.', 'pulse-sync' ),
			array( 'Retry-After' => (string) $retry_after )
		);
	}
}
