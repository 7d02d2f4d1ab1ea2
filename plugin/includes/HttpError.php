<?php
/**
 * An error that carries the HTTP status and machine code it must be answered with.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync;

defined( 'ABSPATH' ) || exit;

/**
 * Typed error used across the listener, REST routes and upserter.
 *
 * The message must be safe to show to the caller: it never contains a key,
 * secret or password.
 *
 * @since 0.1.0
 */
class HttpError extends \RuntimeException {

	/**
	 * HTTP status code.
	 *
	 * @since 0.1.0
	 * @var int
	 */
	private int $status;

	/**
	 * Machine-readable error code, e.g. `invalid_contact_id`.
	 *
	 * @since 0.1.0
	 * @var string
	 */
	private string $error_code;

	/**
	 * Extra response headers, e.g. `Retry-After`.
	 *
	 * @since 0.1.0
	 * @var array<string,string>
	 */
	private array $headers;

	/**
	 * Constructor.
	 *
	 * @since 0.1.0
	 *
	 * @param int                  $status     HTTP status code.
	 * @param string               $error_code Machine-readable code.
	 * @param string               $message    Human-readable, secret-free message.
	 * @param array<string,string> $headers    Extra response headers.
	 */
	public function __construct( int $status, string $error_code, string $message, array $headers = array() ) {
		parent::__construct( $message );
		$this->status     = $status;
		$this->error_code = $error_code;
		$this->headers    = $headers;
	}

	/**
	 * HTTP status code.
	 *
	 * @since 0.1.0
	 *
	 * @return int
	 */
	public function status(): int {
		return $this->status;
	}

	/**
	 * Machine-readable error code.
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public function error_code(): string {
		return $this->error_code;
	}

	/**
	 * Extra response headers.
	 *
	 * @since 0.1.0
	 *
	 * @return array<string,string>
	 */
	public function headers(): array {
		return $this->headers;
	}

	/**
	 * Converts the error for a REST response.
	 *
	 * @since 0.1.0
	 *
	 * @return \WP_Error
	 */
	public function to_wp_error(): \WP_Error {
		return new \WP_Error( $this->error_code, $this->getMessage(), array( 'status' => $this->status ) );
	}
}
