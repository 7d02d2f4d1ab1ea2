<?php
/**
 * Panel routes: link a failed delivery's contact to the existing user by hand, then replay it.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Rest;

use PulseSync\Bridge\Client;
use PulseSync\HttpError;
use PulseSync\Users\AccountLink;

defined( 'ABSPATH' ) || exit;

/**
 * `GET /deliveries/{id}/link` (what linking would do) and `POST /deliveries/{id}/link`.
 *
 * A webhook never moves a contact link and, with `link_users_by_email` off, never makes one
 * by email; the delivery then fails with `user_linked_to_other_contact` or
 * `email_link_disabled`. Here the owner makes that link: the user with the delivery's email is
 * linked to the delivery's contact (AccountLink::link_by_hand()), then the delivery is replayed
 * through the bridge's replay route. Only such failed deliveries can be linked, so the route
 * cannot be used to link arbitrary users.
 *
 * @since 0.2.0
 */
class DeliveryLinkController extends Controller {

	/**
	 * The bridge's error codes of a delivery that an owner's link resolves.
	 *
	 * @since 0.2.0
	 */
	public const LINKABLE_ERRORS = array( 'user_linked_to_other_contact', 'email_link_disabled' );

	private const ID_PATTERN = '(?P<id>[A-Za-z0-9_\-]{1,64})';

	/**
	 * Registers the routes.
	 *
	 * @since 0.2.0
	 *
	 * @return void
	 */
	public function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/deliveries/' . self::ID_PATTERN . '/link',
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( $this, 'preview' ),
					'permission_callback' => array( $this, 'can_manage' ),
				),
				array(
					'methods'             => \WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'link' ),
					'permission_callback' => array( $this, 'can_manage' ),
				),
			)
		);
	}

	/**
	 * `GET /deliveries/{id}/link` → `{"contact_id","user":{"id","login","display_name","email"},"linked_contact_id"}`.
	 *
	 * @since 0.2.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function preview( \WP_REST_Request $request ) {
		return self::respond(
			static function () use ( $request ): array {
				list( $contact_id, $user ) = self::target( (string) $request['id'] );
				return self::describe( $contact_id, $user );
			}
		);
	}

	/**
	 * `POST /deliveries/{id}/link`: links, then replays → the preview's fields plus `"replay"`
	 * (the bridge's replay answer).
	 *
	 * @since 0.2.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function link( \WP_REST_Request $request ) {
		return self::respond(
			static function () use ( $request ): array {
				$id                        = (string) $request['id'];
				list( $contact_id, $user ) = self::target( $id );
				AccountLink::link_by_hand( $user, $contact_id );
				$replay = self::relay( Client::from_settings()->post( '/v1/deliveries/' . $id . '/replay' ) );
				return array_merge( self::describe( $contact_id, $user ), array( 'replay' => $replay->get_data() ) );
			}
		);
	}

	/**
	 * The delivery's contact and the user its email belongs to, if the delivery is linkable.
	 *
	 * @since 0.2.0
	 *
	 * @param string $id Delivery id.
	 * @return array{0:int,1:\WP_User}
	 * @throws HttpError From the bridge, or 409 `pulse_sync_not_linkable`, `pulse_sync_no_user_for_email`
	 *                   or `pulse_sync_protected_user`.
	 */
	private static function target( string $id ): array {
		$delivery = self::relay( Client::from_settings()->get( '/v1/deliveries/' . $id ) )->get_data();
		$code     = is_array( $delivery['error'] ?? null ) ? ( $delivery['error']['code'] ?? null ) : null;
		if ( 'failed' !== ( $delivery['state'] ?? null ) || ! in_array( $code, self::LINKABLE_ERRORS, true ) ) {
			throw new HttpError( 409, 'pulse_sync_not_linkable', __( 'Only a delivery that failed because its contact could not be linked to an existing user can be linked here.', 'pulse-sync' ) );
		}
		$contact_id = $delivery['contact_id'] ?? null;
		$email      = $delivery['email'] ?? null;
		$user_id    = is_string( $email ) ? AccountLink::find_by_email( $email ) : null;
		$user       = null === $user_id ? false : get_userdata( $user_id );
		if ( ! is_int( $contact_id ) || $contact_id < 1 || false === $user ) {
			throw new HttpError( 409, 'pulse_sync_no_user_for_email', __( 'No WordPress user has this delivery’s email address any more; replay the delivery instead.', 'pulse-sync' ) );
		}
		AccountLink::assert_owner_may_link( $user );
		return array( $contact_id, $user );
	}

	/**
	 * What the panel shows about a link.
	 *
	 * @since 0.2.0
	 *
	 * @param int      $contact_id CRM contact id.
	 * @param \WP_User $user       User.
	 * @return array<string,mixed>
	 */
	private static function describe( int $contact_id, \WP_User $user ): array {
		return array(
			'contact_id'        => $contact_id,
			'user'              => array(
				'id'           => $user->ID,
				'login'        => $user->user_login,
				'display_name' => $user->display_name,
				'email'        => $user->user_email,
			),
			'linked_contact_id' => AccountLink::linked_contact( $user->ID ),
		);
	}
}
