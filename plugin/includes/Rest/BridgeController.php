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
use PulseSync\Bridge\Signature;
use PulseSync\Bridge\SignatureError;
use PulseSync\Settings;
use PulseSync\Users\Upserter;
use PulseSync\Users\UserBatch;

defined( 'ABSPATH' ) || exit;

/**
 * `GET /bridge/settings` and `POST /bridge/users`, both Standard Webhooks signed.
 *
 * @since 0.1.0
 */
class BridgeController extends Controller {

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
	}

	/**
	 * Permission callback: the request must carry a valid signature over its raw body.
	 *
	 * @since 0.1.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public function verify_signature( \WP_REST_Request $request ) {
		$now     = time();
		$refusal = new SignatureError( 'The bridge secret is not configured.' );
		// During a pairing rotation the bridge may still sign with the previous secret.
		foreach ( Pairing::active_secrets( $now ) as $secret ) {
			try {
				Signature::verify(
					$secret,
					$request->get_header( 'webhook-id' ),
					$request->get_header( 'webhook-timestamp' ),
					$request->get_header( 'webhook-signature' ),
					(string) $request->get_body(),
					$now
				);
			} catch ( SignatureError $e ) {
				$refusal = $e;
				continue;
			}
			PairedBridge::record_seen( $request->get_header( PairedBridge::VERSION_HEADER ), $now );
			return true;
		}
		return $refusal->to_wp_error();
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
				'rev'             => Settings::rev(),
				'field_mapping'   => $settings['field_mapping'],
				'return_password' => array(
					'enabled' => $settings['return_password_enabled'],
					'field'   => $settings['return_password_field'],
				),
				'crm'             => array(
					'account_url'   => $settings['crm_account_url'],
					'portal_url'    => Settings::portal_url(),
					'client_id'     => $settings['crm_client_id'],
					'client_secret' => Settings::client_secret(),
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
}
