<?php
/**
 * Installs WordPress without the browser, once per database.
 *
 * @package PulseSync\Dev
 */

define( 'WP_INSTALLING', true );
require __DIR__ . '/load-wordpress.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if ( ! is_blog_installed() ) {
	$pulse_result = wp_install(
		'Pulse Sync Demo',
		getenv( 'PULSE_ADMIN_USER' ),
		getenv( 'PULSE_ADMIN_EMAIL' ),
		false,
		'',
		wp_slash( getenv( 'PULSE_ADMIN_PASSWORD' ) )
	);
	if ( is_wp_error( $pulse_result ) ) {
		fwrite( STDERR, $pulse_result->get_error_message() . "\n" );
		exit( 1 );
	}
} else {
	// A schema change between WordPress versions is applied here, as wp-admin/upgrade.php would.
	wp_upgrade();
}
update_option( 'permalink_structure', '/%postname%/' );
update_option( 'users_can_register', 0 );
