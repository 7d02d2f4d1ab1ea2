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
use PulseSync\Support\NamedLock;
use PulseSync\Support\Transaction;

defined( 'ABSPATH' ) || exit;

/**
 * Writes one contact into WordPress, as one item of `POST /bridge/users` asks.
 *
 * Two deliveries for one contact, or two contacts with one email, can arrive at
 * the same moment from several bridge workers. WordPress has no unique index
 * that would stop a second user, so the find and the create run under the
 * contact's and the email's named locks (WriteLocks). A user found by email is
 * linked only as AccountLink allows.
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
	 * Fields an existing user never gets from a webhook: changing the login, password
	 * or email would lock the person out or mail them a change notice.
	 *
	 * @since 0.1.0
	 */
	private const NOT_UPDATED_FIELDS = array( 'user_login', 'user_pass', 'user_email', 'role' );

	/**
	 * Shortest generated password the plugin accepts from the bridge.
	 *
	 * @since 0.1.0
	 */
	private const MIN_GENERATED_PASSWORD_LENGTH = 16;

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
			return $this->create( $payload );
		}
		$user = get_userdata( $user_id );
		if ( false === $user || RoleGuard::is_protected_user( $user ) ) {
			return self::result( 'skipped', $user_id, false, 'protected_user' );
		}
		if ( $found_by_mail ) {
			AccountLink::assert_webhook_may_link( $user_id, $payload->contact_id, $link_by_email );
		}
		$this->update( $user, $payload );
		return self::result( 'updated', $user_id, false );
	}

	/**
	 * Creates the user.
	 *
	 * @since 0.1.0
	 *
	 * @param UserPayload $payload Payload.
	 * @return array{status:string,user_id:int|null,password_used:bool}
	 * @throws HttpError 422 without a valid email or when WordPress refuses the user.
	 */
	private function create( UserPayload $payload ): array {
		if ( '' === $payload->email || ! is_email( $payload->email ) ) {
			throw new HttpError( 422, 'pulse_sync_invalid_email', __( 'The contact has no valid email address, so no user can be created.', 'pulse-sync' ) );
		}
		$settings = Settings::all();
		list( $password, $password_used ) = $this->password( $payload );

		$userdata = array_diff_key( $payload->user, array_flip( self::NOT_UPDATED_FIELDS ) );
		$userdata = array_merge(
			self::clean_fields( $userdata ),
			array(
				'user_email' => $payload->email,
				'user_pass'  => $password,
				'role'       => RoleGuard::permitted_role( $payload->role, $settings['allowed_roles'], $settings['default_role'] ) ?? RoleGuard::default_role( $settings['default_role'] ),
			)
		);
		$user_id = $this->insert_with_free_login(
			$userdata,
			$payload,
			$settings['username_format'],
			static function ( int $user_id ) use ( $payload, $password_used ): void {
				update_user_meta( $user_id, self::CONTACT_META, (string) $payload->contact_id );
				update_user_meta( $user_id, self::TAGS_META, $payload->tags ?? array() );
				update_user_meta( $user_id, self::CREATED_BY_META, $payload->delivery_id );
				update_user_meta( $user_id, self::PASSWORD_USED_META, $password_used ? '1' : '0' );
				self::write_meta( $user_id, $payload->meta );
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
			/** This action is documented in includes/Users/Upserter.php */
			do_action( 'pulse_sync_tags_modified', $user_id, array(), $payload->tags );
		}
		return self::result( 'created', $user_id, $password_used );
	}

	/**
	 * The new user's password: from the mapping, else the bridge's generated one, else our own.
	 *
	 * @since 0.1.0
	 *
	 * @param UserPayload $payload Payload.
	 * @return array{0:string,1:bool} Password and whether it is the bridge's generated one.
	 */
	private function password( UserPayload $payload ): array {
		if ( isset( $payload->user['user_pass'] ) ) {
			return array( $payload->user['user_pass'], false );
		}
		if ( null !== $payload->generated_password && strlen( $payload->generated_password ) >= self::MIN_GENERATED_PASSWORD_LENGTH ) {
			return array( $payload->generated_password, true );
		}
		return array( wp_generate_password( 24 ), false );
	}

	/**
	 * Inserts the user under the first free username. The contact and email locks do
	 * not cover two different contacts whose names give the same username, so each
	 * candidate is locked while it is checked and inserted.
	 *
	 * The user and what `$mark` writes land in one transaction, committed before the
	 * username's lock is released: a worker that died after the insert but before the
	 * markers left a user that the retry found by contact or email and answered as
	 * "updated", so the generated password never reached the CRM (seen in the bench with
	 * WordPress stopped mid-storm).
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,string> $userdata Userdata without user_login.
	 * @param UserPayload          $payload  Payload.
	 * @param string               $format   Username format setting.
	 * @param callable(int):void   $mark     Writes the new user's markers and meta.
	 * @return int New user id.
	 * @throws HttpError 422 when WordPress refuses the user or no username is free.
	 */
	private function insert_with_free_login( array $userdata, UserPayload $payload, string $format, callable $mark ): int {
		$candidates = array();
		$mapped     = $payload->user['user_login'] ?? '';
		if ( UsernameGenerator::is_acceptable( $mapped ) ) {
			$candidates[] = $mapped;
		}
		$generated = UsernameGenerator::candidates( $format, $payload->email, $payload->user['first_name'] ?? '', $payload->user['last_name'] ?? '' );
		foreach ( array_merge( $candidates, iterator_to_array( $generated, false ) ) as $login ) {
			$lock = 'login:' . md5( strtolower( $login ) );
			if ( username_exists( $login ) || ! NamedLock::acquire( $lock, WriteLocks::timeout() ) ) {
				continue;
			}
			$inserted = null;
			try {
				$user_id = Transaction::run(
					static function () use ( $userdata, $login, $mark, &$inserted ) {
						$user_id = wp_insert_user( array_merge( $userdata, array( 'user_login' => $login ) ) );
						if ( ! is_wp_error( $user_id ) ) {
							$inserted = (int) $user_id;
							$mark( $inserted );
						}
						return $user_id;
					}
				);
			} catch ( \Throwable $e ) {
				if ( null !== $inserted ) {
					// Rolled back, but cached (for good, with a persistent object cache): the retry
					// would find the email taken by a user who does not exist.
					clean_user_cache( $inserted );
				}
				throw $e;
			} finally {
				NamedLock::release( $lock );
			}
			if ( ! is_wp_error( $user_id ) ) {
				return (int) $user_id;
			}
			if ( 'existing_user_login' !== $user_id->get_error_code() ) {
				throw new HttpError( 422, 'pulse_sync_cannot_create_user', wp_strip_all_tags( $user_id->get_error_message() ) );
			}
		}
		throw new HttpError( 422, 'pulse_sync_no_free_username', __( 'No free username could be found for the contact.', 'pulse-sync' ) );
	}

	/**
	 * Updates an existing, unprotected user.
	 *
	 * @since 0.1.0
	 *
	 * @param \WP_User    $user    User.
	 * @param UserPayload $payload Payload.
	 * @return void
	 */
	private function update( \WP_User $user, UserPayload $payload ): void {
		if ( 'update_tags' !== $payload->action ) {
			$fields = self::clean_fields( array_diff_key( $payload->user, array_flip( self::NOT_UPDATED_FIELDS ) ) );
			if ( array() !== $fields ) {
				wp_update_user( array_merge( $fields, array( 'ID' => $user->ID ) ) );
			}
			self::write_meta( $user->ID, $payload->meta );
			update_user_meta( $user->ID, self::CONTACT_META, (string) $payload->contact_id );
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
			$this->replace_tags( $user->ID, $payload->tags );
		}
	}

	/**
	 * Replaces the user's tags and tells other plugins when they changed.
	 *
	 * @since 0.1.0
	 *
	 * @param int   $user_id User id.
	 * @param int[] $tags    New tag ids.
	 * @return void
	 */
	private function replace_tags( int $user_id, array $tags ): void {
		$stored     = get_user_meta( $user_id, self::TAGS_META, true );
		$old        = is_array( $stored ) ? array_values( array_map( 'intval', $stored ) ) : array();
		$sorted_old = $old;
		$sorted_new = $tags;
		sort( $sorted_old );
		sort( $sorted_new );
		if ( $sorted_old === $sorted_new ) {
			return;
		}
		update_user_meta( $user_id, self::TAGS_META, $tags );
		/**
		 * Fires after a webhook changed a user's CRM tags.
		 *
		 * @since 0.1.0
		 *
		 * @param int   $user_id  User id.
		 * @param int[] $old_tags Tag ids before.
		 * @param int[] $new_tags Tag ids after.
		 */
		do_action( 'pulse_sync_tags_modified', $user_id, $old, $tags );
	}

	/**
	 * Sanitizes core fields by their kind.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,string> $fields Field => raw value.
	 * @return array<string,string>
	 */
	private static function clean_fields( array $fields ): array {
		$clean = array();
		foreach ( $fields as $field => $value ) {
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
	private static function write_meta( int $user_id, array $meta ): void {
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
