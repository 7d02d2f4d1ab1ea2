<?php
/**
 * PHPUnit bootstrap: loads the running stack's WordPress (real WordPress on the real MariaDB).
 *
 * The WordPress PHPUnit test library is not obtainable on this machine, so this replaces it:
 * tests run in this process with WordPress loaded, and talk to the same site over HTTP when they
 * need a real request (the listener, the REST routes). `npm test` starts a stack and sets
 * PULSE_STACK_FILE; by hand: `npm run stack:up && phpunit -c plugin/phpunit.xml.dist`.
 *
 * @package PulseSync\Tests
 */

$pulse_stack_file = getenv( 'PULSE_STACK_FILE' ) ? getenv( 'PULSE_STACK_FILE' ) : dirname( __DIR__, 2 ) . '/.stack/stack.json';
$pulse_stack      = is_readable( $pulse_stack_file ) ? json_decode( (string) file_get_contents( $pulse_stack_file ), true ) : null;
if ( ! is_array( $pulse_stack ) || empty( $pulse_stack['wpDir'] ) ) {
	fwrite( STDERR, "No running stack at {$pulse_stack_file}. Start one with `npm run stack:up`.\n" );
	exit( 1 );
}
define( 'PULSE_SYNC_TEST_STACK', $pulse_stack );

$_SERVER['HTTP_HOST']   = (string) pulse_sync_tests_url_host( $pulse_stack['siteUrl'] );
$_SERVER['SERVER_NAME'] = $_SERVER['HTTP_HOST'];
$_SERVER['REQUEST_URI'] = '/';

/**
 * Host (and port) of a URL, before WordPress (and wp_parse_url) is loaded.
 *
 * @param string $url A URL.
 * @return string host[:port]
 */
function pulse_sync_tests_url_host( string $url ): string {
	$parts = parse_url( $url );
	return ( $parts['host'] ?? '127.0.0.1' ) . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
}

require $pulse_stack['wpDir'] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/user.php';
require_once __DIR__ . '/TestCase.php';
