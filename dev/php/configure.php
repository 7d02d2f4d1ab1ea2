<?php
/**
 * Applies demo or test settings to the site: reads a JSON object from standard input with
 * `settings` (merged into the pulse_sync_settings option) and `options` (other options by name).
 *
 * @package PulseSync\Dev
 */

require __DIR__ . '/load-wordpress.php';

$pulse_input = json_decode( (string) stream_get_contents( STDIN ), true );
if ( ! is_array( $pulse_input ) ) {
	fwrite( STDERR, "configure.php expects a JSON object on standard input\n" );
	exit( 1 );
}
if ( isset( $pulse_input['settings'] ) && is_array( $pulse_input['settings'] ) ) {
	$pulse_current = get_option( 'pulse_sync_settings', array() );
	update_option( 'pulse_sync_settings', array_merge( is_array( $pulse_current ) ? $pulse_current : array(), $pulse_input['settings'] ) );
}
foreach ( (array) ( $pulse_input['options'] ?? array() ) as $pulse_name => $pulse_value ) {
	update_option( $pulse_name, $pulse_value, false );
}
echo wp_json_encode( array( 'settings' => get_option( 'pulse_sync_settings' ) ) );
