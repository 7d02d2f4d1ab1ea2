<?php
/**
 * Creating a contact's WordPress user.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Users;

use PulseSync\HttpError;
use PulseSync\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Creates the user of an `add` whose contact has none: role, password, markers, meta, tags,
 * the welcome email and the hooks. Called with the contact's and email's locks held.
 *
 * @since 0.2.0
 */
class UserCreator {

	/**
	 * Creates the user.
	 *
	 * @since 0.1.0
	 *
	 * @param UserPayload $payload Payload.
	 * @return array{0:int,1:bool} New user id and whether it got the bridge's generated password.
	 * @throws HttpError 422 without a valid email or when WordPress refuses the user.
	 */
	public static function create( UserPayload $payload ): array {
		if ( '' === $payload->email || ! is_email( $payload->email ) ) {
			throw new HttpError( 422, 'pulse_sync_invalid_email', __( 'The contact has no valid email address, so no user can be created.', 'pulse-sync' ) );
		}
		$settings                         = Settings::all();
		list( $password, $password_used ) = NewUserPassword::choose( $payload );

		$userdata = array_merge(
			UserFields::writable( $payload ),
			array(
				'user_email' => $payload->email,
				'user_pass'  => $password,
				'role'       => RoleGuard::permitted_role( $payload->role, $settings['allowed_roles'], $settings['default_role'] ) ?? RoleGuard::default_role( $settings['default_role'] ),
			)
		);
		$user_id = FreeUsername::insert(
			$userdata,
			$payload,
			$settings['username_format'],
			static function ( int $user_id ) use ( $payload, $password_used ): void {
				// add_user_meta, not update_user_meta: the user is new, so there is no row to
				// update, and update_user_meta's look for one cost two queries per key (a third
				// of the plugin's queries per new user, measured by the bench's write-cost).
				add_user_meta( $user_id, Upserter::CONTACT_META, (string) $payload->contact_id );
				add_user_meta( $user_id, Upserter::TAGS_META, $payload->tags ?? array() );
				add_user_meta( $user_id, Upserter::CREATED_BY_META, $payload->delivery_id );
				add_user_meta( $user_id, Upserter::PASSWORD_USED_META, $password_used ? '1' : '0' );
				UserFields::write_meta( $user_id, $payload->meta );
			}
		);

		if ( $payload->send_notification || true === $settings['always_send_welcome'] ) {
			wp_new_user_notification( $user_id, null, 'user' );
		}

		/**
		 * Fires after a webhook created a user.
		 *
		 * @since 0.1.0
		 *
		 * @param int $user_id    New user id.
		 * @param int $contact_id CRM contact id.
		 */
		do_action( 'pulse_sync_user_created', $user_id, $payload->contact_id );
		if ( array() !== ( $payload->tags ?? array() ) ) {
			UserTags::modified( $user_id, array(), $payload->tags );
		}
		return array( $user_id, $password_used );
	}
}
