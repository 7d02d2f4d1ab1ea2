<?php
/**
 * The atomic find-or-create of a contact's WordPress user.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Users;

use PulseSync\HttpError;
use PulseSync\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Writes one contact into WordPress, as one item of `POST /bridge/users` asks.
 *
 * Two deliveries for one contact, or two contacts with one email, can arrive at
 * the same moment from several bridge workers. WordPress has no unique index
 * that would stop a second user, so the find and the create run under the
 * contact's and the email's named locks (WriteLocks). A user found by email is
 * linked only as AccountLink allows. Creating is UserCreator's, updating
 * UserUpdater's.
 *
 * Nothing here calls the CRM.
 *
 * @since 0.1.0
 */
class Upserter {

	public const CONTACT_META = 'pulsetech_contact_id';
	public const TAGS_META    = 'pulsetech_tags';

	/**
	 * Remembers which delivery created a user, so a repeated delivery answers the same. It is
	 * also the mark of a user Pulse Sync created: only such users get their role changed by a
	 * webhook (RoleGuard::may_change_role_of()). A mapping can never write it (FieldMap).
	 *
	 * @since 0.1.0
	 */
	public const CREATED_BY_META = '_pulse_sync_created_by_delivery';

	/**
	 * Whether that creation used the bridge's generated password.
	 *
	 * @since 0.1.0
	 */
	public const PASSWORD_USED_META = '_pulse_sync_password_used';

	/**
	 * Writes the contact.
	 *
	 * @since 0.1.0
	 *
	 * @param UserPayload $payload Validated payload.
	 * @return array{status:string,user_id:int|null,password_used:bool,reason?:string}
	 * @throws HttpError 422 for a new user without a valid email or a user linked to another
	 *                   contact (AccountLink), 503 when the locks time out.
	 */
	public function upsert( UserPayload $payload ): array {
		return WriteLocks::run( $payload->contact_id, $payload->email, fn() => $this->upsert_locked( $payload ) );
	}

	/**
	 * The find-or-create, with the locks held.
	 *
	 * @since 0.1.0
	 *
	 * @param UserPayload $payload Payload.
	 * @return array{status:string,user_id:int|null,password_used:bool,reason?:string}
	 * @throws HttpError 422 for a new user without a valid email, or for a user found by email
	 *                   that the webhook may not link (AccountLink).
	 */
	private function upsert_locked( UserPayload $payload ): array {
		$created_by_this_delivery = UserLookup::find( self::CREATED_BY_META, $payload->delivery_id );
		if ( null !== $created_by_this_delivery ) {
			return self::result( 'created', $created_by_this_delivery, '1' === get_user_meta( $created_by_this_delivery, self::PASSWORD_USED_META, true ) );
		}
		$link_by_email = true === Settings::get( 'link_users_by_email' );
		$user_id       = UserLookup::find( self::CONTACT_META, (string) $payload->contact_id );
		$found_by_mail = false;
		if ( null === $user_id && ( $link_by_email || 'add' === $payload->action ) ) {
			// With linking by email off, an add still looks, to refuse clearly instead of
			// failing on WordPress's "email already registered".
			$user_id       = AccountLink::find_by_email( $payload->email );
			$found_by_mail = null !== $user_id;
		}
		if ( null === $user_id ) {
			if ( 'add' !== $payload->action ) {
				return self::result( 'skipped', null, false, 'no_user' );
			}
			list( $user_id, $password_used ) = UserCreator::create( $payload );
			return self::result( 'created', $user_id, $password_used );
		}
		$user = get_userdata( $user_id );
		if ( false === $user || RoleGuard::is_protected_user( $user ) ) {
			return self::result( 'skipped', $user_id, false, 'protected_user' );
		}
		if ( $found_by_mail ) {
			AccountLink::assert_webhook_may_link( $user_id, $payload->contact_id, $link_by_email );
		}
		UserUpdater::update( $user, $payload );
		return self::result( 'updated', $user_id, false );
	}

	/**
	 * The route's answer.
	 *
	 * @since 0.1.0
	 *
	 * @param string      $status        created, updated or skipped.
	 * @param int|null    $user_id       User id.
	 * @param bool        $password_used Whether the bridge's generated password was used.
	 * @param string|null $reason        Why it was skipped.
	 * @return array{status:string,user_id:int|null,password_used:bool,reason?:string}
	 */
	private static function result( string $status, ?int $user_id, bool $password_used, ?string $reason = null ): array {
		$result = array(
			'status'        => $status,
			'user_id'       => $user_id,
			'password_used' => $password_used,
		);
		if ( null !== $reason ) {
			$result['reason'] = $reason;
		}
		return $result;
	}
}
