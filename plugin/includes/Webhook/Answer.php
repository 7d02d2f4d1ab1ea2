<?php
/**
 * The JSON answer to a webhook.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Webhook;

use PulseSync\HttpError;

defined( 'ABSPATH' ) || exit;

/**
 * Status, JSON body and extra headers, in the shapes of the spec's Answers table.
 *
 * @since 0.1.0
 */
class Answer {

	/**
	 * HTTP status.
	 *
	 * @since 0.1.0
	 * @var int
	 */
	public int $status;

	/**
	 * JSON body.
	 *
	 * @since 0.1.0
	 * @var array<string,mixed>
	 */
	public array $body;

	/**
	 * Extra headers.
	 *
	 * @since 0.1.0
	 * @var array<string,string>
	 */
	public array $headers;

	/**
	 * Constructor.
	 *
	 * @since 0.1.0
	 *
	 * @param int                  $status  HTTP status.
	 * @param array<string,mixed>  $body    JSON body.
	 * @param array<string,string> $headers Extra headers.
	 */
	public function __construct( int $status, array $body, array $headers = array() ) {
		$this->status  = $status;
		$this->body    = $body;
		$this->headers = $headers;
	}

	/**
	 * `202 {"success":true,"status":"queued","delivery_id":…}`.
	 *
	 * @since 0.1.0
	 *
	 * @param string $delivery_id Delivery id.
	 * @return self
	 */
	public static function queued( string $delivery_id ): self {
		return new self(
			202,
			array(
				'success'     => true,
				'status'      => 'queued',
				'delivery_id' => $delivery_id,
			)
		);
	}

	/**
	 * The answer when something called `wp_die()` during a webhook. A 4xx keeps its
	 * status; anything else means the delivery was not stored, so the CRM is told to retry.
	 *
	 * @since 0.1.0
	 *
	 * @param int $status Status wp_die() was called with.
	 * @return self
	 */
	public static function from_wp_die( int $status ): self {
		if ( $status >= 400 && $status < 500 ) {
			return self::from_error( new HttpError( $status, 'request_refused', __( 'The site refused the webhook before Pulse Sync could process it.', 'pulse-sync' ) ) );
		}
		return self::unavailable();
	}

	/**
	 * `503` + `Retry-After`: something broke before the delivery was stored, so the CRM should retry
	 * (never a 500, which says nothing about whether a retry helps).
	 *
	 * @since 0.1.0
	 *
	 * @return self
	 */
	public static function unavailable(): self {
		return self::from_error( new HttpError( 503, 'temporarily_unavailable', __( 'The webhook could not be processed; please retry.', 'pulse-sync' ), array( 'Retry-After' => '60' ) ) );
	}

	/**
	 * `{"success":false,"error":…,"message":…}` with the error's status.
	 *
	 * @since 0.1.0
	 *
	 * @param HttpError $error Error.
	 * @return self
	 */
	public static function from_error( HttpError $error ): self {
		return new self(
			$error->status(),
			array(
				'success' => false,
				'error'   => $error->error_code(),
				'message' => $error->getMessage(),
			),
			$error->headers()
		);
	}
}
