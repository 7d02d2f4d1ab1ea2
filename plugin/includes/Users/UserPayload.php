<?php
/**
 * One user write of `POST /bridge/users`, validated.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Users;

use PulseSync\HttpError;

defined( 'ABSPATH' ) || exit;

/**
 * What the bridge asks the plugin to write for one contact.
 *
 * @since 0.1.0
 */
class UserPayload {

	private const ACTIONS = array( 'add', 'update', 'update_tags' );

	/**
	 * Delivery id (idempotency key of a creation).
	 *
	 * @since 0.1.0
	 * @var string
	 */
	public string $delivery_id;

	/**
	 * add, update or update_tags.
	 *
	 * @since 0.1.0
	 * @var string
	 */
	public string $action;

	/**
	 * CRM contact id.
	 *
	 * @since 0.1.0
	 * @var int
	 */
	public int $contact_id;

	/**
	 * The contact's email ('' when the bridge sent none).
	 *
	 * @since 0.1.0
	 * @var string
	 */
	public string $email;

	/**
	 * Core user fields from the mapping, as strings.
	 *
	 * @since 0.1.0
	 * @var array<string,string>
	 */
	public array $user;

	/**
	 * User meta from the mapping.
	 *
	 * @since 0.1.0
	 * @var array<string,mixed>
	 */
	public array $meta;

	/**
	 * Requested role (from the URL or a field mapped to role), or null.
	 *
	 * @since 0.1.0
	 * @var string|null
	 */
	public ?string $role;

	/**
	 * The contact's tag ids; null = leave the tags alone.
	 *
	 * @since 0.1.0
	 * @var int[]|null
	 */
	public ?array $tags;

	/**
	 * Whether the webhook asked for the welcome email.
	 *
	 * @since 0.1.0
	 * @var bool
	 */
	public bool $send_notification;

	/**
	 * Password the bridge generated for Return Password, or null.
	 *
	 * @since 0.1.0
	 * @var string|null
	 */
	public ?string $generated_password;

	/**
	 * Validates a decoded JSON body.
	 *
	 * @since 0.1.0
	 *
	 * @param mixed $body Decoded JSON.
	 * @return self
	 * @throws HttpError 400 when malformed.
	 */
	public static function from_array( $body ): self {
		if ( ! is_array( $body ) ) {
			throw self::invalid( 'body' );
		}
		$payload = new self();

		$payload->delivery_id = self::string_matching( $body, 'delivery_id', '/^[A-Za-z0-9_\-]{1,64}$/' );
		$payload->action      = self::string_matching( $body, 'action', '/^[a-z_]{1,20}$/' );
		if ( ! in_array( $payload->action, self::ACTIONS, true ) ) {
			throw self::invalid( 'action' );
		}
		$contact_id = $body['contact_id'] ?? null;
		if ( ! is_int( $contact_id ) || $contact_id < 1 ) {
			throw self::invalid( 'contact_id' );
		}
		$payload->contact_id = $contact_id;
		$payload->user       = self::user_fields( $body['user'] ?? array() );
		$email               = $body['email'] ?? ( $payload->user['user_email'] ?? '' );
		if ( null === $email ) {
			$email = '';
		}
		if ( ! is_string( $email ) ) {
			throw self::invalid( 'email' );
		}
		$payload->email              = trim( $email );
		$payload->meta               = self::meta( $body['meta'] ?? array() );
		$payload->role               = self::optional_string( $body, 'role' ) ?? ( $payload->user['role'] ?? null );
		$payload->tags               = self::tags( $body['tags'] ?? null );
		$payload->send_notification  = true === ( $body['send_notification'] ?? false );
		$payload->generated_password = self::optional_string( $body, 'generated_password' );
		return $payload;
	}

	/**
	 * A required string matching a pattern.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $body    Body.
	 * @param string              $field   Field name.
	 * @param string              $pattern Regular expression.
	 * @return string
	 * @throws HttpError 400 when missing or not matching.
	 */
	private static function string_matching( array $body, string $field, string $pattern ): string {
		$value = $body[ $field ] ?? null;
		if ( ! is_string( $value ) || 1 !== preg_match( $pattern, $value ) ) {
			throw self::invalid( $field );
		}
		return $value;
	}

	/**
	 * An optional string ('' counts as absent).
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $body  Body.
	 * @param string              $field Field name.
	 * @return string|null
	 * @throws HttpError 400 when present but not a string.
	 */
	private static function optional_string( array $body, string $field ): ?string {
		$value = $body[ $field ] ?? null;
		if ( null === $value || '' === $value ) {
			return null;
		}
		if ( ! is_string( $value ) ) {
			throw self::invalid( $field );
		}
		return $value;
	}

	/**
	 * Core user fields: known names, scalar values.
	 *
	 * @since 0.1.0
	 *
	 * @param mixed $user `user` object.
	 * @return array<string,string>
	 * @throws HttpError 400 for unknown fields or non-scalar values.
	 */
	private static function user_fields( $user ): array {
		if ( ! is_array( $user ) ) {
			throw self::invalid( 'user' );
		}
		$fields = array();
		foreach ( $user as $name => $value ) {
			if ( ! FieldMap::is_core_field( (string) $name ) || ( null !== $value && ! is_scalar( $value ) ) ) {
				throw self::invalid( 'user' );
			}
			if ( null !== $value && '' !== (string) $value ) {
				$fields[ (string) $name ] = (string) $value;
			}
		}
		return $fields;
	}

	/**
	 * User meta: writable keys, scalar or list-of-scalar values.
	 *
	 * @since 0.1.0
	 *
	 * @param mixed $meta `meta` object.
	 * @return array<string,mixed>
	 * @throws HttpError 400 for reserved keys or nested values.
	 */
	private static function meta( $meta ): array {
		if ( ! is_array( $meta ) ) {
			throw self::invalid( 'meta' );
		}
		foreach ( $meta as $key => $value ) {
			if ( ! FieldMap::is_writable_meta_key( (string) $key ) ) {
				throw self::invalid( 'meta' );
			}
			$values = is_array( $value ) ? $value : array( $value );
			foreach ( $values as $item ) {
				if ( null !== $item && ! is_scalar( $item ) ) {
					throw self::invalid( 'meta' );
				}
			}
		}
		return $meta;
	}

	/**
	 * Tag ids: a list of positive integers, or null.
	 *
	 * @since 0.1.0
	 *
	 * @param mixed $tags `tags`.
	 * @return int[]|null
	 * @throws HttpError 400 when not a list of positive integers.
	 */
	private static function tags( $tags ): ?array {
		if ( null === $tags ) {
			return null;
		}
		if ( ! is_array( $tags ) || ! array_is_list( $tags ) ) {
			throw self::invalid( 'tags' );
		}
		foreach ( $tags as $tag ) {
			if ( ! is_int( $tag ) || $tag < 1 ) {
				throw self::invalid( 'tags' );
			}
		}
		return array_values( array_unique( $tags ) );
	}

	/**
	 * The error for a malformed field.
	 *
	 * @since 0.1.0
	 *
	 * @param string $field Field name.
	 * @return HttpError
	 */
	private static function invalid( string $field ): HttpError {
		/* translators: %s: field name. */
		return new HttpError( 400, 'pulse_sync_invalid_payload', sprintf( __( 'Invalid or missing field: %s.', 'pulse-sync' ), $field ) );
	}
}
