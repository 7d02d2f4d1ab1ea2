<?php
/**
 * Panel routes: deliveries the bridge refused while they waited in the site's spool.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Rest;

use PulseSync\Webhook\Spool;

defined( 'ABSPATH' ) || exit;

/**
 * `GET /spool/failed` → `{"items":[…],"total"}`, `POST /spool/{id}/replay` → `{"id","state":"pending"}`,
 * `DELETE /spool/{id}` → `{"id","deleted":true}`; 404 `pulse_sync_spool_not_found` when no failed
 * spooled delivery has that id. A spooled delivery the bridge refused never reached the bridge's
 * delivery log, so the Status screen shows it from here.
 *
 * @since 0.2.0
 */
class SpoolController extends Controller {

	private const ID_PATTERN = '(?P<id>[1-9][0-9]{0,18})';

	/**
	 * Most failed deliveries listed.
	 *
	 * @since 0.2.0
	 */
	private const LIST_LIMIT = 100;

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
			'/spool/failed',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'list_failed' ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/spool/' . self::ID_PATTERN . '/replay',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'replay' ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/spool/' . self::ID_PATTERN,
			array(
				'methods'             => \WP_REST_Server::DELETABLE,
				'callback'            => array( $this, 'discard' ),
				'permission_callback' => array( $this, 'can_manage' ),
			)
		);
	}

	/**
	 * `GET /spool/failed`: the newest 100 and how many there are.
	 *
	 * @since 0.2.0
	 *
	 * @return \WP_REST_Response
	 */
	public function list_failed(): \WP_REST_Response {
		return new \WP_REST_Response(
			array(
				'items' => Spool::failed( self::LIST_LIMIT ),
				'total' => Spool::count_failed(),
			),
			200
		);
	}

	/**
	 * `POST /spool/{id}/replay`: the next hand-over (within a minute, or after the next webhook) tries it again.
	 *
	 * @since 0.2.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function replay( \WP_REST_Request $request ) {
		return self::change_failed( $request, array( Spool::class, 'replay' ), array( 'state' => 'pending' ) );
	}

	/**
	 * `DELETE /spool/{id}`.
	 *
	 * @since 0.2.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function discard( \WP_REST_Request $request ) {
		return self::change_failed( $request, array( Spool::class, 'discard' ), array( 'deleted' => true ) );
	}

	/**
	 * Applies a change to the failed spooled delivery the route names.
	 *
	 * @since 0.2.0
	 *
	 * @param \WP_REST_Request    $request Request with `id`.
	 * @param callable            $change  Takes the row id; false when no failed delivery has it.
	 * @param array<string,mixed> $answer  What the answer says besides the id.
	 * @return \WP_REST_Response|\WP_Error
	 */
	private static function change_failed( \WP_REST_Request $request, callable $change, array $answer ) {
		$id = (int) $request['id'];
		if ( ! $change( $id ) ) {
			return new \WP_Error( 'pulse_sync_spool_not_found', __( 'No failed spooled delivery has this id.', 'pulse-sync' ), array( 'status' => 404 ) );
		}
		return new \WP_REST_Response( array( 'id' => $id ) + $answer, 200 );
	}
}
