<?php
/**
 * Slows down repeated bad access keys from one address.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Webhook;

use PulseSync\HttpError;

defined( 'ABSPATH' ) || exit;

/**
 * Counts bad keys per IP address in a transient and locks the address out with
 * an exponentially growing lockout, the way two-factor throttles bad codes.
 *
 * While an address is locked out its requests are refused without looking at
 * the key, so guessing goes no faster than the lockouts allow. The key itself is
 * never stored or logged here; only a hash of the IP address names the record.
 *
 * @since 0.1.0
 */
class KeyThrottle {

	private const TRANSIENT_PREFIX = 'pulse_sync_throttle_';

	/**
	 * The caller's IP address.
	 *
	 * @since 0.1.0
	 * @var string
	 */
	private string $ip;

	/**
	 * Constructor.
	 *
	 * @since 0.1.0
	 *
	 * @param string $ip Caller's IP address.
	 */
	public function __construct( string $ip ) {
		$this->ip = $ip;
	}

	/**
	 * Refuses the request while the address is locked out.
	 *
	 * @since 0.1.0
	 *
	 * @param int $now Unix seconds.
	 * @return void
	 * @throws HttpError 429 with Retry-After.
	 */
	public function assert_allowed( int $now ): void {
		$record = $this->record();
		if ( $record['locked_until'] > $now ) {
			$retry_after = $record['locked_until'] - $now;
			throw new HttpError(
				429,
				'too_many_bad_keys',
				__( 'Too many requests with a wrong access key from this address; try again later.', 'pulse-sync' ),
				array( 'Retry-After' => (string) $retry_after )
			);
		}
	}

	/**
	 * Records a bad key; locks the address out when the limit is reached within the window.
	 *
	 * @since 0.1.0
	 *
	 * @param int $now Unix seconds.
	 * @return void
	 */
	public function record_failure( int $now ): void {
		$settings = self::settings();
		$record   = $this->record();
		if ( $now - $record['window_start'] > $settings['window'] ) {
			$record['window_start'] = $now;
			$record['failures']     = 0;
		}
		++$record['failures'];
		if ( $record['failures'] >= $settings['limit'] ) {
			$lockout                = min( $settings['max_lockout'], $settings['lockout'] * ( 2 ** min( 20, $record['lockouts'] ) ) );
			$record['locked_until'] = $now + $lockout;
			++$record['lockouts'];
			$record['failures']     = 0;
			$record['window_start'] = $now;
		}
		// Keep the record long enough to remember the lockout count for the next escalation.
		set_transient( $this->transient_name(), $record, $settings['max_lockout'] * 2 );
	}

	/**
	 * The throttle's tunables.
	 *
	 * @since 0.1.0
	 *
	 * @return array{limit:int,window:int,lockout:int,max_lockout:int}
	 */
	private static function settings(): array {
		/**
		 * Filters the bad-key throttle.
		 *
		 * @since 0.1.0
		 *
		 * @param array $settings {
		 *     @type int $limit       Bad keys allowed within the window. Default 5.
		 *     @type int $window      Window in seconds. Default 60.
		 *     @type int $lockout     First lockout in seconds, doubled for each further one. Default 60.
		 *     @type int $max_lockout Longest lockout in seconds. Default 3600.
		 * }
		 */
		$settings = (array) apply_filters(
			'pulse_sync_key_throttle',
			array(
				'limit'       => 5,
				'window'      => 60,
				'lockout'     => 60,
				'max_lockout' => 3600,
			)
		);
		return array(
			'limit'       => max( 1, (int) ( $settings['limit'] ?? 5 ) ),
			'window'      => max( 1, (int) ( $settings['window'] ?? 60 ) ),
			'lockout'     => max( 1, (int) ( $settings['lockout'] ?? 60 ) ),
			'max_lockout' => max( 1, (int) ( $settings['max_lockout'] ?? 3600 ) ),
		);
	}

	/**
	 * The address's record.
	 *
	 * @since 0.1.0
	 *
	 * @return array{failures:int,window_start:int,locked_until:int,lockouts:int}
	 */
	private function record(): array {
		$stored = get_transient( $this->transient_name() );
		$record = array(
			'failures'     => 0,
			'window_start' => 0,
			'locked_until' => 0,
			'lockouts'     => 0,
		);
		if ( is_array( $stored ) ) {
			foreach ( $record as $field => $default ) {
				$record[ $field ] = (int) ( $stored[ $field ] ?? $default );
			}
		}
		return $record;
	}

	/**
	 * The transient holding this address's record.
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	private function transient_name(): string {
		return self::TRANSIENT_PREFIX . md5( $this->ip );
	}
}
