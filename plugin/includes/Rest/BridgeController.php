<?php
/**
 * The routes the bridge calls.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Rest;

use PulseSync\Bridge\PairedBridge;
use PulseSync\Bridge\Pairing;
use PulseSync\Bridge\SeenMessages;
use PulseSync\Bridge\Signature;
use PulseSync\Bridge\SignatureError;
use PulseSync\Bridge\SignedRequest;
use PulseSync\Settings;
use PulseSync\Settings\ClientSecret;
use PulseSync\Settings\Revision;
use PulseSync\Support\DatabaseError;
use PulseSync\Users\LinkedContacts;
use PulseSync\Users\Upserter;
use PulseSync\Users\UserBatch;

defined( 'ABSPATH' ) || exit;

/**
 * `GET /bridge/settings`, `POST /bridge/users`, `GET /bridge/linked-contacts` and
 * `POST /bridge/linked-contacts/lookup`, all Standard Webhooks signed.
 *
 * @since 0.1.0
 */
class BridgeController extends Controller {

	/**
	 * The request verified last and its outcome: a request is verified once, though WordPress
	 * may ask twice (see signature_before_parameter_errors()), because verifying records its id.
	 *
	 * @since 0.2.0
	 * @var array{0:\WP_REST_Request,1:true|\WP_Error}|null
	 */
	private ?array $verified = null;

	/**
	 * Registers the routes.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public function register_routes(): void {
		add_filter( 'rest_request_before_callbacks', array( $this, 'signature_before_parameter_errors' ), 10, 3 );
		register_rest_route(
			self::REST_NAMESPACE,
			'/bridge/settings',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'get_settings' ),
				'permission_callback' => array( $this, 'verify_signature' ),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/bridge/users',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'write_users' ),
				'permission_callback' => array( $this, 'verify_signature' ),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/bridge/linked-contacts',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'linked_contacts' ),
				'permission_callback' => array( $this, 'verify_signature' ),
				'args'                => array(
					'after' => array(
						'type'     => 'integer',
						'minimum'  => 0,
						'required' => true,
					),
					'limit' => array(
						'type'     => 'integer',
						'minimum'  => 1,
						'maximum'  => LinkedContacts::MAX_PAGE,
						'required' => true,
					),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/bridge/linked-contacts/lookup',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'lookup_linked_contacts' ),
				'permission_callback' => array( $this, 'verify_signature' ),
				'args'                => array(
					'contact_ids' => array(
						'type'     => 'array',
						'items'    => array(
							'type'    => 'integer',
							'minimum' => 1,
						),
						'maxItems' => LinkedContacts::MAX_PAGE,
						'required' => true,
					),
				),
			)
		);
	}

	/**
	 * Permission callback: the request must carry a valid signature over its method, route,
	 * query and raw body, made in the bridge → plugin direction, with a `webhook-id` not seen
	 * within the tolerance window.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Binds the route, query and direction; refuses a replayed id.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public function verify_signature( \WP_REST_Request $request ) {
		if ( null === $this->verified || $this->verified[0] !== $request ) {
			$this->verified = array( $request, self::verify( $request ) );
		}
		return $this->verified[1];
	}

	/**
	 * Verifies a request and records its id.
	 *
	 * @since 0.2.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	private static function verify( \WP_REST_Request $request ) {
		try {
			$id        = (string) $request->get_header( 'webhook-id' );
			$timestamp = Signature::verify(
				Pairing::active_secrets(),
				SignedRequest::BRIDGE_TO_PLUGIN,
				SignedRequest::from_rest( $request ),
				$request->get_header( 'webhook-id' ),
				$request->get_header( 'webhook-timestamp' ),
				$request->get_header( 'webhook-signature' ),
				time()
			);
			if ( ! SeenMessages::claim( $id, $timestamp ) ) {
				throw new SignatureError( 'This webhook-id was already used.' );
			}
			PairedBridge::record_seen( $request->get_header( PairedBridge::VERSION_HEADER ), time() );
		} catch ( SignatureError $e ) {
			return $e->to_wp_error();
		} catch ( \RuntimeException $e ) {
			return new \WP_Error( 'pulse_sync_replay_check_failed', __( 'The request could not be checked against earlier ones; please retry.', 'pulse-sync' ), array( 'status' => 503 ) );
		}
		return true;
	}

	/**
	 * WordPress reports an invalid JSON body before it asks the permission callback;
	 * on the bridge routes an unsigned request must hear 401 first, whatever its body.
	 *
	 * @since 0.1.0
	 *
	 * @param mixed            $response Response so far (a WP_Error for invalid parameters).
	 * @param array            $handler  Route handler.
	 * @param \WP_REST_Request $request  Request.
	 * @return mixed
	 */
	public function signature_before_parameter_errors( $response, array $handler, \WP_REST_Request $request ) {
		$ours = array( $this, 'verify_signature' ) === ( $handler['permission_callback'] ?? null );
		if ( ! $ours || ! is_wp_error( $response ) ) {
			return $response;
		}
		$verified = $this->verify_signature( $request );
		return true === $verified ? $response : $verified;
	}

	/**
	 * `GET /bridge/settings`: what the bridge needs, including the client secret.
	 *
	 * @since 0.1.0
	 *
	 * @return \WP_REST_Response
	 */
	public function get_settings(): \WP_REST_Response {
		$settings = Settings::all();
		return new \WP_REST_Response(
			array(
				'rev'             => Revision::current(),
				'field_mapping'   => $settings['field_mapping'],
				'return_password' => array(
					'enabled' => $settings['return_password_enabled'],
					'field'   => $settings['return_password_field'],
				),
				'reconcile'       => array(
					'enabled' => $settings['reconcile_enabled'],
					'tag_ids' => $settings['reconcile_tag_ids'],
				),
				'crm'             => array(
					'account_url'   => $settings['crm_account_url'],
					// As the owner typed it ('' = none): the bridge derives the portal (crm/urls.ts).
					'portal_url'    => $settings['crm_portal_url'],
					'client_id'     => $settings['crm_client_id'],
					'client_secret' => ClientSecret::get(),
				),
			),
			200
		);
	}

	/**
	 * `POST /bridge/users`: a batch of atomic find-or-creates, answered in order.
	 *
	 * @since 0.1.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function write_users( \WP_REST_Request $request ) {
		return self::respond(
			static fn() => array(
				'results' => UserBatch::from_body( json_decode( (string) $request->get_body(), true ) )->write( new Upserter() ),
			)
		);
	}

	/**
	 * `GET /bridge/linked-contacts?after=&limit=`: the bridge's resync pages the linked users.
	 *
	 * @since 0.3.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function linked_contacts( \WP_REST_Request $request ) {
		return self::answer_from_index( static fn() => LinkedContacts::page( (int) $request['after'], (int) $request['limit'] ) );
	}

	/**
	 * `POST /bridge/linked-contacts/lookup`: which of these contacts have a user (reconciliation).
	 *
	 * @since 0.3.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function lookup_linked_contacts( \WP_REST_Request $request ) {
		return self::answer_from_index( static fn() => array( 'linked' => LinkedContacts::linked_among( array_map( 'intval', (array) $request['contact_ids'] ) ) ) );
	}

	/**
	 * A lookup's answer, or 503 when the database failed (the bridge retries; never "no users").
	 *
	 * @since 0.3.0
	 *
	 * @param callable():array $lookup The lookup.
	 * @return \WP_REST_Response|\WP_Error
	 */
	private static function answer_from_index( callable $lookup ) {
		try {
			return new \WP_REST_Response( $lookup(), 200 );
		} catch ( DatabaseError $e ) {
			return new \WP_Error( 'pulse_sync_database_error', __( 'The user index could not be read; please retry.', 'pulse-sync' ), array( 'status' => 503 ) );
		}
	}
}
