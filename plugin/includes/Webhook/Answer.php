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
