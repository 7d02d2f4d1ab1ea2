<?php
/**
 * A request whose Standard Webhooks signature does not verify.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Bridge;

use PulseSync\HttpError;

defined( 'ABSPATH' ) || exit;

/**
 * Always answered 401.
 *
 * @since 0.1.0
 */
class SignatureError extends HttpError {

	/**
	 * Constructor.
	 *
	 * @since 0.1.0
	 *
	 * @param string $message Why verification failed (never contains a secret).
	 */
	public function __construct( string $message ) {
		parent::__construct( 401, 'pulse_sync_invalid_signature', $message );
	}
}
