<?php
/**
 * An answer from the bridge.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Bridge;

defined( 'ABSPATH' ) || exit;

/**
 * HTTP status and decoded JSON body of a bridge answer.
 *
 * @since 0.1.0
 */
class Response {

	/**
	 * HTTP status.
	 *
	 * @since 0.1.0
	 * @var int
	 */
	public int $status;

	/**
	 * Decoded JSON object.
	 *
	 * @since 0.1.0
	 * @var array<string,mixed>
	 */
	public array $body;

	/**
	 * Constructor.
	 *
	 * @since 0.1.0
	 *
	 * @param int                 $status HTTP status.
	 * @param array<string,mixed> $body   Decoded JSON object.
	 */
	public function __construct( int $status, array $body ) {
		$this->status = $status;
		$this->body   = $body;
	}

	/**
	 * Whether the status is 2xx.
	 *
	 * @since 0.1.0
	 *
	 * @return bool
	 */
	public function is_success(): bool {
		return $this->status >= 200 && $this->status < 300;
	}
}
