<?php
/**
 * The password a new user gets.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Chooses a new user's password: from the mapping, else the bridge's generated one, else our own.
 *
 * @since 0.2.0
 */
class NewUserPassword {

	/**
	 * Shortest generated password the plugin accepts from the bridge.
	 *
	 * @since 0.1.0
	 */
	private const MIN_GENERATED_PASSWORD_LENGTH = 16;

	/**
	 * The password and whether it is the bridge's generated one (which Return Password sends
	 * back to the CRM).
	 *
	 * @since 0.1.0
	 *
	 * @param UserPayload $payload Payload.
	 * @return array{0:string,1:bool}
	 */
	public static function choose( UserPayload $payload ): array {
		if ( isset( $payload->user['user_pass'] ) ) {
			return array( $payload->user['user_pass'], false );
		}
		if ( null !== $payload->generated_password && strlen( $payload->generated_password ) >= self::MIN_GENERATED_PASSWORD_LENGTH ) {
			return array( $payload->generated_password, true );
		}
		return array( wp_generate_password( 24 ), false );
	}
}
