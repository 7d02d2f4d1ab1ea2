<?php
/**
 * Activates Pulse Sync (running its activation hook) and prints what the stack needs to know
 * about the site as JSON on standard output.
 *
 * @package PulseSync\Dev
 */

require __DIR__ . '/load-wordpress.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

$pulse_admin = get_user_by( 'login', getenv( 'PULSE_ADMIN_USER' ) );
if ( $pulse_admin ) {
	// The stack's admin password is the one in .stack/admin.json, whatever happened since.
	wp_set_password( getenv( 'PULSE_ADMIN_PASSWORD' ), $pulse_admin->ID );
}

flush_rewrite_rules( false );
$pulse_activated = activate_plugin( 'pulse-sync/pulse-sync.php' );
if ( is_wp_error( $pulse_activated ) ) {
	fwrite( STDERR, 'Pulse Sync could not be activated: ' . $pulse_activated->get_error_message() . "\n" );
	exit( 1 );
}

echo wp_json_encode(
	array(
		'wp_version'    => get_bloginfo( 'version' ),
		'access_key'    => (string) get_option( 'pulse_sync_access_key' ),
		'bridge_secret' => (string) get_option( 'pulse_sync_bridge_secret' ),
	)
);
