<?php
/**
 * A CRM webhook request, parsed and validated.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Webhook;

use PulseSync\HttpError;

defined( 'ABSPATH' ) || exit;

/**
 * Reads the webhook's parameters from the raw query string and body.
 *
 * The raw input is parsed here rather than taken from `$_GET`/`$_POST`
 * because PHP silently keeps the last of repeated parameters and turns
 * `access_key[]=x` into an array; both must be refused, not guessed at.
 *
 * Structural problems (repeated or array-valued parameters, invalid UTF-8, a
 * control character in a parameter the webhook reads, oversized or mistyped
 * bodies) are refused when parsing; the meaning of each parameter is checked by
 * its accessor, so the listener decides the order in which the key, the action
 * and the contact id are judged.
 *
 * @since 0.1.0
 */
class Request {

	/**
	 * The parameters the webhook understands; each may appear once at most.
	 *
	 * @since 0.1.0
	 */
	private const KNOWN_PARAMETERS = array( 'wpf_action', 'access_key', 'contact_id', 'id', 'send_notification', 'role' );

	/**
	 * The parameters also read from a form body. The rest belong to the URL the owner
	 * typed; a form-encoded contact entity may well carry its own `role` field.
	 *
	 * @since 0.1.0
	 */
	private const BODY_PARAMETERS = array( 'contact_id', 'id' );

	/**
	 * Action aliases kept for URLs written for the reference integration.
	 *
	 * @since 0.1.0
	 */
	private const ACTIONS = array(
		'test'        => 'test',
		'add'         => 'add',
		'add_user'    => 'add',
		'update'      => 'update',
		'update_user' => 'update',
		'update_tags' => 'update_tags',
	);

	private const TRUE_VALUES  = array( 'true', '1', 'yes', 'on' );
	private const FALSE_VALUES = array( 'false', '0', 'no', 'off', '' );

	/**
	 * Known parameter name => its single value (query string and form body together).
	 *
	 * @since 0.1.0
	 * @var array<string,string>
	 */
	private array $params;

	/**
	 * Decoded JSON body object, empty when the body was not JSON.
	 *
	 * @since 0.1.0
	 * @var array<string,mixed>
	 */
	private array $json;

	/**
	 * Caller's IP address.
	 *
	 * @since 0.1.0
	 * @var string
	 */
	private string $source_ip;

	/**
	 * Constructor.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,string> $params    Known parameters.
	 * @param array<string,mixed>  $json      JSON body object.
	 * @param string               $source_ip Caller's IP address.
	 */
	private function __construct( array $params, array $json, string $source_ip ) {
		$this->params    = $params;
		$this->json      = $json;
		$this->source_ip = $source_ip;
	}

	/**
	 * The largest body accepted.
	 *
	 * @since 0.1.0
	 *
	 * @return int Bytes.
	 */
	public static function max_body_bytes(): int {
		/**
		 * Filters the largest webhook body accepted; a contact entity is a few kilobytes.
		 *
		 * @since 0.1.0
		 *
		 * @param int $bytes Default 262144 (256 KB).
		 */
		return (int) apply_filters( 'pulse_sync_webhook_max_body_bytes', 262144 );
	}

	/**
	 * The largest contact id accepted.
	 *
	 * @since 0.1.0
	 *
	 * @return int
	 */
	public static function max_contact_id(): int {
		/**
		 * Filters the largest contact id accepted.
		 *
		 * @since 0.1.0
		 *
		 * @param int $max Default 2147483647 (the largest signed 32-bit integer).
		 */
		return (int) apply_filters( 'pulse_sync_max_contact_id', 2147483647 );
	}

	/**
	 * Parses the current HTTP request.
	 *
	 * @since 0.1.0
	 *
	 * @return self
	 * @throws HttpError 400/405/413/415 for structurally bad requests.
	 */
	public static function from_globals(): self {
		// phpcs:disable WordPress.Security.ValidatedSanitizedInput -- raw input is validated by parse().
		$method         = strtoupper( (string) ( $_SERVER['REQUEST_METHOD'] ?? 'GET' ) );
		$query_string   = (string) ( $_SERVER['QUERY_STRING'] ?? '' );
		$content_type   = (string) ( $_SERVER['CONTENT_TYPE'] ?? $_SERVER['HTTP_CONTENT_TYPE'] ?? '' );
		$content_length = (int) ( $_SERVER['CONTENT_LENGTH'] ?? 0 );
		$remote_addr    = (string) ( $_SERVER['REMOTE_ADDR'] ?? '' );
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- webhooks are authenticated by the access key.
		$multipart = $_POST;
		// phpcs:enable
		if ( ! in_array( $method, array( 'GET', 'POST' ), true ) ) {
			throw new HttpError( 405, 'method_not_allowed', __( 'Webhooks must use GET or POST.', 'pulse-sync' ), array( 'Allow' => 'GET, POST' ) );
		}
		$body = '';
		if ( 'POST' === $method ) {
			if ( $content_length > self::max_body_bytes() ) {
				throw self::too_large();
			}
			$body = (string) file_get_contents( 'php://input', false, null, 0, self::max_body_bytes() + 1 );
		}
		return self::parse( $query_string, $content_type, $body, $multipart, self::client_ip( $remote_addr ) );
	}

	/**
	 * Parses a request from its raw parts.
	 *
	 * @since 0.1.0
	 *
	 * @param string              $query_string Raw query string.
	 * @param string              $content_type Content-Type header.
	 * @param string              $body         Raw body ('' for multipart, which PHP consumes).
	 * @param array<string,mixed> $multipart    PHP's `$_POST`, used only for multipart bodies.
	 * @param string              $source_ip    Caller's IP address.
	 * @return self
	 * @throws HttpError 400/413/415 for structurally bad requests.
	 */
	public static function parse( string $query_string, string $content_type, string $body, array $multipart, string $source_ip ): self {
		if ( strlen( $body ) > self::max_body_bytes() ) {
			throw self::too_large();
		}
		$pairs      = self::parse_pairs( $query_string );
		$json       = array();
		$form       = array();
		$media_type = strtolower( trim( explode( ';', $content_type, 2 )[0] ) );
		if ( 'multipart/form-data' === $media_type ) {
			$form = self::multipart_pairs( $multipart );
		} elseif ( 'application/x-www-form-urlencoded' === $media_type ) {
			$form = self::parse_pairs( $body );
		} elseif ( '' !== trim( $body ) ) {
			$json = self::parse_json( $body, $media_type );
		}
		$form_ids = array_filter( $form, static fn( array $pair ): bool => in_array( self::base_name( $pair[0] ), self::BODY_PARAMETERS, true ) );
		return new self( self::known_parameters( array_merge( $pairs, $form_ids ) ), $json, $source_ip );
	}

	/**
	 * The normalized action: test, add, update or update_tags.
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 * @throws HttpError 400 when missing or unknown.
	 */
	public function action(): string {
		$action = strtolower( trim( $this->params['wpf_action'] ?? '' ) );
		if ( '' === $action ) {
			throw new HttpError( 400, 'missing_action', __( 'The wpf_action parameter is empty.', 'pulse-sync' ) );
		}
		if ( ! isset( self::ACTIONS[ $action ] ) ) {
			throw new HttpError( 400, 'unknown_action', __( 'Unknown wpf_action; use add, update, update_tags or test.', 'pulse-sync' ) );
		}
		return self::ACTIONS[ $action ];
	}

	/**
	 * The access key the request carried ('' when none).
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public function access_key(): string {
		return $this->params['access_key'] ?? '';
	}

	/**
	 * The contact id: `contact_id`, else `id` (query or form), else the JSON body's `id`.
	 *
	 * @since 0.1.0
	 *
	 * @return int
	 * @throws HttpError 400 when missing or not a positive integer in range.
	 */
	public function contact_id(): int {
		if ( isset( $this->params['contact_id'] ) ) {
			$raw = $this->params['contact_id'];
		} elseif ( isset( $this->params['id'] ) ) {
			$raw = $this->params['id'];
		} elseif ( array_key_exists( 'id', $this->json ) ) {
			$raw = $this->json['id'];
		} else {
			throw new HttpError( 400, 'missing_contact_id', __( 'No contact id: send contact_id or id.', 'pulse-sync' ) );
		}
		if ( is_int( $raw ) ) {
			$raw = (string) $raw;
		}
		if ( ! is_string( $raw ) || 1 !== preg_match( '/^[1-9][0-9]{0,18}$/', $raw ) || (int) $raw > self::max_contact_id() ) {
			throw new HttpError( 400, 'invalid_contact_id', __( 'The contact id must be a positive integer.', 'pulse-sync' ) );
		}
		return (int) $raw;
	}

	/**
	 * Whether the webhook asked for the welcome email.
	 *
	 * @since 0.1.0
	 *
	 * @return bool
	 * @throws HttpError 400 when the value is not a boolean word.
	 */
	public function send_notification(): bool {
		$value = strtolower( trim( $this->params['send_notification'] ?? '' ) );
		if ( in_array( $value, self::TRUE_VALUES, true ) ) {
			return true;
		}
		if ( in_array( $value, self::FALSE_VALUES, true ) ) {
			return false;
		}
		throw new HttpError( 400, 'invalid_send_notification', __( 'send_notification must be true or false.', 'pulse-sync' ) );
	}

	/**
	 * The requested role slug, or null; whether it may be granted is decided when the user is written.
	 *
	 * @since 0.1.0
	 *
	 * @return string|null
	 * @throws HttpError 400 when it is not a role slug.
	 */
	public function role(): ?string {
		$role = strtolower( trim( $this->params['role'] ?? '' ) );
		if ( '' === $role ) {
			return null;
		}
		if ( 1 !== preg_match( '/^[a-z0-9_\-]{1,60}$/', $role ) ) {
			throw new HttpError( 400, 'invalid_role', __( 'role must be a role slug such as customer.', 'pulse-sync' ) );
		}
		return $role;
	}

	/**
	 * The caller's IP address.
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public function source_ip(): string {
		return $this->source_ip;
	}

	/**
	 * Resolves the caller's IP address (also used by the pairing exchange's throttle).
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Public.
	 *
	 * @param string $remote_addr REMOTE_ADDR.
	 * @return string
	 */
	public static function client_ip( string $remote_addr ): string {
		/**
		 * Filters the webhook caller's IP address (used for throttling and the delivery log).
		 * Behind a trusted reverse proxy, return the address it forwarded; the default
		 * ignores X-Forwarded-For because anyone can send it.
		 *
		 * @since 0.1.0
		 *
		 * @param string $ip Default: REMOTE_ADDR.
		 */
		$ip = (string) apply_filters( 'pulse_sync_client_ip', $remote_addr );
		return false === filter_var( $ip, FILTER_VALIDATE_IP ) ? '0.0.0.0' : $ip;
	}

	/**
	 * Splits an `a=1&b=2` string into [name, value] pairs, keeping repeats and
	 * bracketed names (`access_key[]`) so they can be refused.
	 *
	 * @since 0.1.0
	 *
	 * @param string $raw Raw query string or form body.
	 * @return array<int,array{0:string,1:string}> List of [name, value].
	 * @throws HttpError 400 on invalid UTF-8.
	 */
	private static function parse_pairs( string $raw ): array {
		$pairs = array();
		foreach ( explode( '&', $raw ) as $segment ) {
			if ( '' === $segment ) {
				continue;
			}
			$parts = explode( '=', $segment, 2 );
			$name  = urldecode( $parts[0] );
			$value = urldecode( $parts[1] ?? '' );
			self::assert_utf8( $name );
			self::assert_utf8( $value );
			$pairs[] = array( $name, $value );
		}
		return $pairs;
	}

	/**
	 * Turns PHP's parsed multipart fields into [name, value] pairs.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $multipart `$_POST`.
	 * @return array<int,array{0:string,1:string}>
	 * @throws HttpError 400 on invalid UTF-8.
	 */
	private static function multipart_pairs( array $multipart ): array {
		$pairs = array();
		foreach ( $multipart as $name => $value ) {
			$name = (string) $name;
			self::assert_utf8( $name );
			if ( is_array( $value ) ) {
				$pairs[] = array( $name . '[]', '' );
				continue;
			}
			self::assert_utf8( (string) $value );
			$pairs[] = array( $name, (string) $value );
		}
		return $pairs;
	}

	/**
	 * Picks the known parameters, refusing repeats and arrays.
	 *
	 * @since 0.1.0
	 *
	 * @param array<int,array{0:string,1:string}> $pairs [name, value] pairs.
	 * @return array<string,string>
	 * @throws HttpError 400 for a repeated or array-valued known parameter, or one holding a
	 *                   control character (NUL, tab, newline, DEL, U+0080-U+009F).
	 */
	private static function known_parameters( array $pairs ): array {
		$params = array();
		foreach ( $pairs as list( $name, $value ) ) {
			$base = self::base_name( $name );
			if ( ! in_array( $base, self::KNOWN_PARAMETERS, true ) ) {
				continue;
			}
			if ( $base !== $name ) {
				/* translators: %s: parameter name. */
				throw new HttpError( 400, 'array_parameter', sprintf( __( 'The parameter %s must be a single value, not an array.', 'pulse-sync' ), $base ) );
			}
			if ( isset( $params[ $base ] ) ) {
				/* translators: %s: parameter name. */
				throw new HttpError( 400, 'repeated_parameter', sprintf( __( 'The parameter %s appears more than once.', 'pulse-sync' ), $base ) );
			}
			// trim() would quietly turn `add%00` into `add` and `administrator%00` into a role name.
			if ( 1 === preg_match( '/\p{Cc}/u', $value ) ) {
				/* translators: %s: parameter name. */
				throw new HttpError( 400, 'control_character', sprintf( __( 'The parameter %s contains a control character.', 'pulse-sync' ), $base ) );
			}
			$params[ $base ] = $value;
		}
		return $params;
	}

	/**
	 * A parameter name without its brackets: `access_key[]` → `access_key`.
	 *
	 * @since 0.1.0
	 *
	 * @param string $name Parameter name as sent.
	 * @return string
	 */
	private static function base_name( string $name ): string {
		$bracket = strpos( $name, '[' );
		return false === $bracket ? $name : substr( $name, 0, $bracket );
	}

	/**
	 * Decodes a JSON body; the CRM posts the contact entity as a JSON object.
	 *
	 * @since 0.1.0
	 *
	 * @param string $body       Raw body.
	 * @param string $media_type Declared media type ('' when none was declared).
	 * @return array<string,mixed>
	 * @throws HttpError 400 when declared JSON is not a JSON object, 415 for other media types.
	 */
	private static function parse_json( string $body, string $media_type ): array {
		$declared_json = 'application/json' === $media_type || str_ends_with( $media_type, '+json' );
		if ( ! $declared_json && '' !== $media_type ) {
			throw new HttpError( 415, 'unsupported_media_type', __( 'Send JSON or a form-encoded body.', 'pulse-sync' ) );
		}
		$trimmed = ltrim( $body );
		$decoded = json_decode( $trimmed, true, 64, JSON_BIGINT_AS_STRING );
		if ( ! str_starts_with( $trimmed, '{' ) || ! is_array( $decoded ) ) {
			if ( ! $declared_json ) {
				throw new HttpError( 415, 'unsupported_media_type', __( 'Send JSON or a form-encoded body.', 'pulse-sync' ) );
			}
			throw new HttpError( 400, 'invalid_json', __( 'The body is not a JSON object.', 'pulse-sync' ) );
		}
		return $decoded;
	}

	/**
	 * Refuses invalid UTF-8.
	 *
	 * @since 0.1.0
	 *
	 * @param string $value Value.
	 * @return void
	 * @throws HttpError 400 on invalid UTF-8.
	 */
	private static function assert_utf8( string $value ): void {
		if ( 1 !== preg_match( '//u', $value ) ) {
			throw new HttpError( 400, 'invalid_encoding', __( 'The request is not valid UTF-8.', 'pulse-sync' ) );
		}
	}

	/**
	 * The error for an oversized body.
	 *
	 * @since 0.1.0
	 *
	 * @return HttpError
	 */
	private static function too_large(): HttpError {
		return new HttpError( 413, 'payload_too_large', __( 'The body is too large.', 'pulse-sync' ) );
	}
}
