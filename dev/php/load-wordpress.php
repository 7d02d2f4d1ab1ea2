<?php
/**
 * Loads the stack's WordPress for a command-line script (WP-CLI is not obtainable here).
 *
 * @package PulseSync\Dev
 */

if ( PHP_SAPI !== 'cli' ) {
	exit( 1 );
}

$pulse_wp_dir = getenv( 'PULSE_WP_DIR' );
if ( ! $pulse_wp_dir || ! is_file( $pulse_wp_dir . '/wp-load.php' ) ) {
	fwrite( STDERR, "PULSE_WP_DIR must point at the stack's WordPress\n" );
	exit( 1 );
}

// WordPress reads these when it builds URLs and cookies; a CLI request has none.
$_SERVER['HTTP_HOST']   = $_SERVER['HTTP_HOST'] ?? '127.0.0.1';
$_SERVER['SERVER_NAME'] = $_SERVER['SERVER_NAME'] ?? '127.0.0.1';
$_SERVER['REQUEST_URI'] = $_SERVER['REQUEST_URI'] ?? '/';

require $pulse_wp_dir . '/wp-load.php';
