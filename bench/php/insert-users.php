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
require __DIR__ . '/user-rows.php';

$pulse_input = json_decode( (string) stream_get_contents( STDIN ), true );
if ( ! is_array( $pulse_input ) || ! is_array( $pulse_input['users'] ?? null ) ) {
	fwrite( STDERR, "insert-users.php expects {\"users\":[…],\"tags\":[…]} on standard input\n" );
	exit( 1 );
}
$pulse_tags    = array_map( 'intval', (array) ( $pulse_input['tags'] ?? array() ) );
$pulse_created = 0;
$pulse_started = microtime( true );
foreach ( $pulse_input['users'] as $pulse_user ) {
	pulse_bench_insert_user( $pulse_user, $pulse_tags );
	++$pulse_created;
}
echo wp_json_encode(
	array(
		'created' => $pulse_created,
		'seconds' => microtime( true ) - $pulse_started,
	)
);
