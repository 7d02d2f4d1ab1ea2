<?php
/**
 * The bridge could not be reached or gave no usable answer.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Bridge;

use PulseSync\HttpError;

defined( 'ABSPATH' ) || exit;

/**
 * Answered 502 on the panel routes; the webhook listener spools instead.
 *
 * @since 0.1.0
 */
class BridgeUnavailable extends HttpError {

	/**
	 * Constructor.
	 *
	 * @since 0.1.0
	 *
	 * @param string $reason Why (connection refused, timeout, not JSON…); never contains a secret.
	 */
	public function __construct( string $reason ) {
		/* translators: %s: technical reason, e.g. "Connection refused". */
		parent::__construct( 502, 'pulse_sync_bridge_unavailable', sprintf( __( 'The Pulse Sync bridge is not reachable: %s', 'pulse-sync' ), $reason ) );
	}
}
