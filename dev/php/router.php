<?php
/**
 * Router for `php -S`: existing files (PHP or static) are served by the built-in server itself;
 * everything else goes to WordPress's front controller, as Apache's rewrite rules would do, so
 * pretty permalinks and /wp-json/ work.
 *
 * @package PulseSync\Dev
 */

$pulse_path = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
$pulse_file = realpath( $_SERVER['DOCUMENT_ROOT'] . $pulse_path );

if ( false !== $pulse_file && ( is_file( $pulse_file ) || is_file( $pulse_file . '/index.php' ) ) ) {
	return false;
}

$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . '/index.php';
$_SERVER['PHP_SELF']        = '/index.php';
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
