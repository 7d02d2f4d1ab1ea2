<?php
/**
 * Sanitizing what a webhook writes into a user.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Cleans the mapped core fields and meta of a user write and stores the meta.
 *
 * @since 0.2.0
 */
class UserFields {

	/**
	 * Fields an existing user never gets from a webhook: changing the login, password
	 * or email would lock the person out or mail them a change notice.
	 *
	 * @since 0.1.0
	 */
	private const NOT_UPDATED_FIELDS = array( 'user_login', 'user_pass', 'user_email', 'role' );

	/**
	 * The payload's core fields a webhook may write, sanitized by their kind.
	 *
	 * @since 0.2.0
	 *
	 * @param UserPayload $payload Payload.
	 * @return array<string,string>
	 */
	public static function writable( UserPayload $payload ): array {
		$clean = array();
		foreach ( array_diff_key( $payload->user, array_flip( self::NOT_UPDATED_FIELDS ) ) as $field => $value ) {
			if ( 'user_url' === $field ) {
				$clean[ $field ] = esc_url_raw( $value );
			} elseif ( 'description' === $field ) {
				$clean[ $field ] = sanitize_textarea_field( $value );
			} else {
				$clean[ $field ] = sanitize_text_field( $value );
			}
		}
		return $clean;
	}

	/**
	 * Writes mapped meta; null leaves a key alone.
	 *
	 * @since 0.1.0
	 *
	 * @param int                 $user_id User id.
	 * @param array<string,mixed> $meta    Key => value.
	 * @return void
	 */
	public static function write_meta( int $user_id, array $meta ): void {
		foreach ( $meta as $key => $value ) {
			if ( null === $value ) {
				continue;
			}
			$clean = is_array( $value )
				? array_map( static fn( $item ) => is_string( $item ) ? sanitize_textarea_field( $item ) : $item, $value )
				: ( is_string( $value ) ? sanitize_textarea_field( $value ) : $value );
			update_user_meta( $user_id, (string) $key, $clean );
		}
	}
}
