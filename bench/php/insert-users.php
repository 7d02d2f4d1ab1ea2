<?php
/**
 * Creates users the way the plugin's user write stores them, straight in PHP: no webhook, bridge
 * or CRM in the way. The `limit` scenario runs one of these per core to measure the machine's own
 * ceiling; `bulk-edit` uses it to create the users its storm updates.
 *
 * Standard input (JSON): {"users":[{"contact_id":7,"email":"…","first_name":"…","last_name":"…"}],"tags":[1,4]}
 * Standard output (JSON): {"created":N,"seconds":S}; the seconds cover the writes only, not the
 * loading of WordPress, which a web request pays too but which is not user creation.
 *
 * @package PulseSync\Bench
 */

require dirname( __DIR__, 2 ) . '/dev/php/load-wordpress.php';

$pulse_input = json_decode( (string) stream_get_contents( STDIN ), true );
if ( ! is_array( $pulse_input ) || ! is_array( $pulse_input['users'] ?? null ) ) {
	fwrite( STDERR, "insert-users.php expects {\"users\":[…],\"tags\":[…]} on standard input\n" );
	exit( 1 );
}
$pulse_tags    = array_map( 'intval', (array) ( $pulse_input['tags'] ?? array() ) );
$pulse_created = 0;
$pulse_started = microtime( true );
foreach ( $pulse_input['users'] as $pulse_user ) {
	// Two meta writes through wp_insert_user (first and last name) and three below: the same
	// five the reference measurement made, and the ones the plugin writes for a mapped contact.
	$pulse_user_id = wp_insert_user(
		array(
			'user_login' => $pulse_user['email'],
			'user_email' => $pulse_user['email'],
			'user_pass'  => wp_generate_password( 24 ),
			'first_name' => $pulse_user['first_name'],
			'last_name'  => $pulse_user['last_name'],
			'role'       => get_option( 'default_role' ),
		)
	);
	if ( is_wp_error( $pulse_user_id ) ) {
		fwrite( STDERR, 'wp_insert_user failed: ' . $pulse_user_id->get_error_code() . "\n" );
		exit( 1 );
	}
	update_user_meta( $pulse_user_id, 'pulsetech_contact_id', (string) $pulse_user['contact_id'] );
	update_user_meta( $pulse_user_id, 'pulsetech_tags', $pulse_tags );
	update_user_meta( $pulse_user_id, 'billing_phone', '' );
	++$pulse_created;
}
echo wp_json_encode(
	array(
		'created' => $pulse_created,
		'seconds' => microtime( true ) - $pulse_started,
	)
);
