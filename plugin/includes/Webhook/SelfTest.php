<?php
/**
 * Calls the site's own webhook endpoint the way the CRM does.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Webhook;

use PulseSync\AccessKey;

defined( 'ABSPATH' ) || exit;

/**
 * Sends `?wpf_action=test` to the public site URL, so a firewall, cache or
 * security plugin that blocks webhooks shows up in the panel and in Site Health.
 *
 * @since 0.1.0
 */
class SelfTest {

	/**
	 * Runs the test.
	 *
	 * @since 0.1.0
	 *
	 * @return array{status:int|null,body:mixed,error:string|null,duration_ms:int}
	 */
	public static function run(): array {
		$key     = AccessKey::get();
		$url     = add_query_arg(
			array(
				'wpf_action' => 'test',
				'access_key' => rawurlencode( $key ),
			),
			home_url( '/' )
		);
		$started = microtime( true );
		/**
		 * Filters the timeout of the self-test webhook.
		 *
		 * @since 0.1.0
		 *
		 * @param float $seconds Default 10.
		 */
		$result      = wp_remote_get(
			$url,
			array(
				'timeout'     => (float) apply_filters( 'pulse_sync_self_test_timeout', 10.0 ),
				'redirection' => 0,
			)
		);
		$duration_ms = (int) round( ( microtime( true ) - $started ) * 1000 );
		if ( is_wp_error( $result ) ) {
			return array(
				'status'      => null,
				'body'        => null,
				// Transport messages can quote the URL, which carries the key.
				'error'       => '' === $key ? $result->get_error_message() : str_replace( array( $key, rawurlencode( $key ) ), '***', $result->get_error_message() ),
				'duration_ms' => $duration_ms,
			);
		}
		$raw  = wp_remote_retrieve_body( $result );
		$json = json_decode( $raw, true );
		return array(
			'status'      => (int) wp_remote_retrieve_response_code( $result ),
			'body'        => null === $json ? substr( wp_strip_all_tags( $raw ), 0, 500 ) : $json,
			'error'       => null,
			'duration_ms' => $duration_ms,
		);
	}

	/**
	 * Whether a run shows a working endpoint.
	 *
	 * @since 0.1.0
	 *
	 * @param array{status:int|null,body:mixed,error:string|null,duration_ms:int} $run Result of run().
	 * @return bool
	 */
	public static function passed( array $run ): bool {
		return 200 === $run['status'] && is_array( $run['body'] ) && true === ( $run['body']['success'] ?? null );
	}
}
