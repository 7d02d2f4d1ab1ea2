<?php
/**
 * Which CRM contact drives a WordPress user, and when a link may be made.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Users;

use PulseSync\HttpError;

defined( 'ABSPATH' ) || exit;

/**
 * The rules for linking a user (user meta `pulsetech_contact_id`) to a contact.
 *
 * A webhook may link an existing user found by the contact's email only when that user
 * is not linked yet (and the owner left `link_users_by_email` on, as the CRM's guide
 * promises). It never moves a link: a second contact carrying someone's email would
 * otherwise take over driving their tags and fields. The owner can move a link by hand
 * from the delivery log (`POST /deliveries/{id}/link`).
 *
 * @since 0.2.0
 */
class AccountLink {

	/**
	 * The user found by email is linked to another contact.
	 *
	 * @since 0.2.0
	 */
	public const LINKED_TO_OTHER_CONTACT = 'pulse_sync_user_linked_to_other_contact';

	/**
	 * The user found by email is not linked, and linking by email is off.
	 *
	 * @since 0.2.0
	 */
	public const EMAIL_LINK_DISABLED = 'pulse_sync_email_link_disabled';

	/**
	 * The lowest user id with an email address (the column compares case-insensitively).
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Moved from Upserter.
	 *
	 * @param string $email Email.
	 * @return int|null
	 */
	public static function find_by_email( string $email ): ?int {
		global $wpdb;
		if ( '' === $email ) {
			return null;
		}
		$id = $wpdb->get_var( $wpdb->prepare( "SELECT ID FROM {$wpdb->users} WHERE user_email = %s ORDER BY ID ASC LIMIT 1", $email ) );
		return null === $id ? null : (int) $id;
	}

	/**
	 * The contact a user is linked to, or null.
	 *
	 * @since 0.2.0
	 *
	 * @param int $user_id User id.
	 * @return int|null
	 */
	public static function linked_contact( int $user_id ): ?int {
		$linked = (string) get_user_meta( $user_id, Upserter::CONTACT_META, true );
		return '' === $linked ? null : (int) $linked;
	}

	/**
	 * Refuses a webhook's link of a user found by the contact's email, unless it may make it.
	 *
	 * @since 0.2.0
	 *
	 * @param int  $user_id       User found by email.
	 * @param int  $contact_id    The webhook's contact.
	 * @param bool $link_by_email The `link_users_by_email` setting.
	 * @return void
	 * @throws HttpError 422 LINKED_TO_OTHER_CONTACT or EMAIL_LINK_DISABLED.
	 */
	public static function assert_webhook_may_link( int $user_id, int $contact_id, bool $link_by_email ): void {
		$linked = self::linked_contact( $user_id );
		if ( null !== $linked && $linked !== $contact_id ) {
			throw new HttpError(
				422,
				self::LINKED_TO_OTHER_CONTACT,
				sprintf(
					/* translators: 1: CRM contact id of the webhook, 2: CRM contact id the user is linked to. */
					__( 'A WordPress user with the email address of contact %1$d is already linked to contact %2$d; a webhook never moves a link. If contact %1$d should drive that user, link it by hand from the delivery log.', 'pulse-sync' ),
					$contact_id,
					$linked
				)
			);
		}
		if ( ! $link_by_email ) {
			throw new HttpError(
				422,
				self::EMAIL_LINK_DISABLED,
				sprintf(
					/* translators: %d: CRM contact id. */
					__( 'A WordPress user with the email address of contact %d exists, and linking users by email is turned off. Link it by hand from the delivery log, or turn on "Link existing users by email".', 'pulse-sync' ),
					$contact_id
				)
			);
		}
	}

	/**
	 * Refuses a link by hand of a user webhooks never change (it would have no effect).
	 *
	 * @since 0.2.0
	 *
	 * @param \WP_User $user User.
	 * @return void
	 * @throws HttpError 409 `pulse_sync_protected_user`.
	 */
	public static function assert_owner_may_link( \WP_User $user ): void {
		if ( RoleGuard::is_protected_user( $user ) ) {
			throw new HttpError( 409, 'pulse_sync_protected_user', __( 'This user holds administrative capabilities; webhooks never change such users, so linking them to a contact would have no effect.', 'pulse-sync' ) );
		}
	}

	/**
	 * Links a user to a contact by the owner's hand, moving an existing link, under the
	 * contact's and the email's write locks.
	 *
	 * @since 0.2.0
	 *
	 * @param \WP_User $user       User.
	 * @param int      $contact_id CRM contact id.
	 * @return void
	 * @throws HttpError 409 `pulse_sync_protected_user` for a user webhooks never change,
	 *                   503 when the locks are busy.
	 */
	public static function link_by_hand( \WP_User $user, int $contact_id ): void {
		self::assert_owner_may_link( $user );
		WriteLocks::run(
			$contact_id,
			(string) $user->user_email,
			static function () use ( $user, $contact_id ): void {
				update_user_meta( $user->ID, Upserter::CONTACT_META, (string) $contact_id );
			}
		);
	}
}
