<?php
/**
 * Plugin Name: Pulse Sync test: trust the test CA for one bridge host
 * Description: Test only, installed and removed by integration/bridge-other-host.test.ts. WordPress
 * verifies the bridge's TLS certificate against its own CA bundle; the test's bridge has a
 * certificate from a throwaway CA, which this trusts for that one host and nothing else; and the
 * stack's wp-config.php blocks every host but the site's own (WP_HTTP_BLOCK_EXTERNAL) unless
 * WP_ACCESSIBLE_HOSTS names it.
 *
 * @package PulseSync\Tests
 */

defined( 'ABSPATH' ) || exit;

/**
 * The test's bridge: option pulse_test_bridge_tls = array( 'host' => …, 'ca_file' => … ).
 *
 * @return array{host: string, ca_file: string}|null
 */
function pulse_test_bridge_tls() {
	$tls = get_option( 'pulse_test_bridge_tls' );
	if ( ! is_array( $tls ) || empty( $tls['host'] ) || empty( $tls['ca_file'] ) ) {
		return null;
	}
	return array(
		'host'    => (string) $tls['host'],
		'ca_file' => (string) $tls['ca_file'],
	);
}

$pulse_test_tls = pulse_test_bridge_tls();
if ( null !== $pulse_test_tls && ! defined( 'WP_ACCESSIBLE_HOSTS' ) ) {
	define( 'WP_ACCESSIBLE_HOSTS', $pulse_test_tls['host'] );
}
unset( $pulse_test_tls );

add_filter(
	'http_request_args',
	static function ( $args, $url ) {
		$tls = pulse_test_bridge_tls();
		if ( null !== $tls && wp_parse_url( $url, PHP_URL_HOST ) === $tls['host'] ) {
			$args['sslcertificates'] = $tls['ca_file'];
		}
		return $args;
	},
	10,
	2
);
