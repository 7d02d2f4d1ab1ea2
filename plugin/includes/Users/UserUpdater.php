<?php
/**
 * Updating a contact's existing WordPress user.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Users;

use PulseSync\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Writes a webhook into an existing, unprotected user: fields, meta, the contact link, the role
 * as RoleGuard allows, and the tags. Called with the contact's and email's locks held.
 *
 * @since 0.2.0
 */
class UserUpdater {

	/**
	 * Updates the user.
	 *
	 * @since 0.1.0
	 *
	 * @param \WP_User    $user    User.
	 * @param UserPayload $payload Payload.
	 * @return void
	 */
	public static function update( \WP_User $user, UserPayload $payload ): void {
		if ( 'update_tags' !== $payload->action ) {
			$fields = UserFields::writable( $payload );
			if ( array() !== $fields ) {
				wp_update_user( array_merge( $fields, array( 'ID' => $user->ID ) ) );
			}
			UserFields::write_meta( $user->ID, $payload->meta );
			update_user_meta( $user->ID, Upserter::CONTACT_META, (string) $payload->contact_id );
			$settings = Settings::all();
			$role     = RoleGuard::permitted_role( $payload->role, $settings['allowed_roles'], $settings['default_role'] );
			if ( null !== $role && array( $role ) !== array_values( $user->roles )
				&& RoleGuard::may_change_role_of( $user, true === $settings['change_roles_of_other_users'] ) ) {
				$user->set_role( $role );
			}
			/**
			 * Fires after a webhook updated a user (not for tag-only updates).
			 *
			 * @since 0.1.0
			 *
			 * @param int $user_id    User id.
			 * @param int $contact_id CRM contact id.
			 */
			do_action( 'pulse_sync_user_updated', $user->ID, $payload->contact_id );
		}
		if ( null !== $payload->tags ) {
			UserTags::replace( $user->ID, $payload->tags );
		}
	}
}
