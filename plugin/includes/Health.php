<?php
/**
 * Site Health tests.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync;

use PulseSync\Bridge\BridgeUnavailable;
use PulseSync\Bridge\Client;
use PulseSync\Webhook\SelfTest;

defined( 'ABSPATH' ) || exit;

/**
 * "Bridge reachable", "CRM connected" and "Webhook endpoint reachable" under Tools » Site Health.
 *
 * @since 0.1.0
 */
class Health {

	/**
	 * Adds the tests.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $tests Site Health tests.
	 * @return array<string,mixed>
	 */
	public static function register_tests( array $tests ): array {
		$tests['direct']['pulse_sync_bridge']  = array(
			'label' => __( 'Pulse Sync bridge', 'pulse-sync' ),
			'test'  => array( self::class, 'test_bridge' ),
		);
		$tests['direct']['pulse_sync_crm']     = array(
			'label' => __( 'Pulse Sync CRM connection', 'pulse-sync' ),
			'test'  => array( self::class, 'test_crm' ),
		);
		$tests['direct']['pulse_sync_webhook'] = array(
			'label' => __( 'Pulse Sync webhook endpoint', 'pulse-sync' ),
			'test'  => array( self::class, 'test_webhook' ),
		);
		return $tests;
	}

	/**
	 * Bridge reachable and accepting this site's signature.
	 *
	 * @since 0.1.0
	 *
	 * @return array<string,mixed>
	 */
	public static function test_bridge(): array {
		try {
			$response = Client::from_settings()->get( '/v1/status' );
		} catch ( BridgeUnavailable $e ) {
			return self::result( 'pulse_sync_bridge', 'critical', __( 'The Pulse Sync bridge is not reachable', 'pulse-sync' ), $e->getMessage() . ' ' . __( 'Webhooks are kept in the spool until it is back; start the bridge (see Pulse Sync » Status).', 'pulse-sync' ) );
		}
		if ( ! $response->is_success() ) {
			/* translators: %d: HTTP status code. */
			return self::result( 'pulse_sync_bridge', 'critical', __( 'The Pulse Sync bridge refuses this site', 'pulse-sync' ), sprintf( __( 'It answered HTTP %d; pair it again with a code from Pulse Sync » Status.', 'pulse-sync' ), $response->status ) );
		}
		return self::result( 'pulse_sync_bridge', 'good', __( 'The Pulse Sync bridge is reachable', 'pulse-sync' ), __( 'Webhooks are handed to the bridge’s queue.', 'pulse-sync' ) );
	}

	/**
	 * CRM connected (as the bridge reports it).
	 *
	 * @since 0.1.0
	 *
	 * @return array<string,mixed>
	 */
	public static function test_crm(): array {
		try {
			$response = Client::from_settings()->get( '/v1/status' );
		} catch ( BridgeUnavailable $e ) {
			return self::result( 'pulse_sync_crm', 'recommended', __( 'The CRM connection cannot be checked', 'pulse-sync' ), __( 'The Pulse Sync bridge is not reachable.', 'pulse-sync' ) );
		}
		$crm = $response->body['crm'] ?? array();
		if ( is_array( $crm ) && true === ( $crm['connected'] ?? null ) ) {
			return self::result( 'pulse_sync_crm', 'good', __( 'PulseTechnologyCRM is connected', 'pulse-sync' ), __( 'Contacts and tags can be loaded from the CRM.', 'pulse-sync' ) );
		}
		$detail = is_array( $crm ) && is_string( $crm['last_error'] ?? null ) ? $crm['last_error'] : __( 'Connect it under Pulse Sync » CRM connection.', 'pulse-sync' );
		return self::result( 'pulse_sync_crm', 'critical', __( 'PulseTechnologyCRM is not connected', 'pulse-sync' ), $detail );
	}

	/**
	 * The site's own webhook endpoint answers a test webhook with JSON.
	 *
	 * @since 0.1.0
	 *
	 * @return array<string,mixed>
	 */
	public static function test_webhook(): array {
		$run = SelfTest::run();
		if ( SelfTest::passed( $run ) ) {
			return self::result( 'pulse_sync_webhook', 'good', __( 'The webhook endpoint answers', 'pulse-sync' ), __( 'A test webhook sent to this site got the expected answer.', 'pulse-sync' ) );
		}
		$detail = null !== $run['error']
			? $run['error']
			/* translators: %s: HTTP status code or "no answer". */
			: sprintf( __( 'It answered HTTP %s instead of the Pulse Sync test answer; a firewall, cache or security plugin may be blocking webhooks.', 'pulse-sync' ), (string) $run['status'] );
		return self::result( 'pulse_sync_webhook', 'critical', __( 'The webhook endpoint does not answer as expected', 'pulse-sync' ), $detail );
	}

	/**
	 * A Site Health result.
	 *
	 * @since 0.1.0
	 *
	 * @param string $test        Test id.
	 * @param string $status      good, recommended or critical.
	 * @param string $label       Headline.
	 * @param string $description Details (plain text).
	 * @return array<string,mixed>
	 */
	private static function result( string $test, string $status, string $label, string $description ): array {
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Pulse Sync', 'pulse-sync' ),
				'color' => 'good' === $status ? 'blue' : 'red',
			),
			'description' => '<p>' . esc_html( $description ) . '</p>',
			'test'        => $test,
		);
	}
}
