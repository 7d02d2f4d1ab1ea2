<?php
/**
 * What one user write costs inside WordPress, in one PHP process: database queries (counted by
 * the `query` filter) and CPU (getrusage, user + system) per user, WordPress's boot excluded.
 *
 * Mode `bare` runs the path of `insert-users.php` (wp_insert_user + three meta writes, what the
 * `limit` scenario measures); mode `batch` runs the users through `UserBatch` and `Upserter` in
 * batches, exactly as `POST /bridge/users` does once its signature has been checked.
 *
 * Standard input (JSON): {"mode":"bare"|"batch","batch_size":50,"tags":[1,4],
 * "users":[{"contact_id":7,"email":"…","first_name":"…","last_name":"…"}]}
 * Standard output (JSON): {"users":N,"queries":Q,"cpu_seconds":C,"seconds":S,"shapes":{"…":n}};
 * `shapes` counts the queries by their first words, to show where the queries go.
 *
 * @package PulseSync\Bench
 */

require dirname( __DIR__, 2 ) . '/dev/php/load-wordpress.php';
require __DIR__ . '/user-rows.php';

use PulseSync\Users\UserBatch;
use PulseSync\Users\Upserter;

$pulse_input = json_decode( (string) stream_get_contents( STDIN ), true );
if ( ! is_array( $pulse_input ) || ! is_array( $pulse_input['users'] ?? null ) || ! in_array( $pulse_input['mode'] ?? null, array( 'bare', 'batch' ), true ) ) {
	fwrite( STDERR, "write-cost.php expects {\"mode\":\"bare\"|\"batch\",\"users\":[…],\"tags\":[…]} on standard input\n" );
	exit( 1 );
}
$pulse_tags       = array_map( 'intval', (array) ( $pulse_input['tags'] ?? array() ) );
$pulse_batch_size = max( 1, (int) ( $pulse_input['batch_size'] ?? UserBatch::DEFAULT_MAX ) );

/**
 * CPU seconds this process has used so far.
 *
 * @return float
 */
function pulse_bench_cpu_seconds(): float {
	$usage = getrusage();
	return $usage['ru_utime.tv_sec'] + $usage['ru_utime.tv_usec'] / 1e6 + $usage['ru_stime.tv_sec'] + $usage['ru_stime.tv_usec'] / 1e6;
}

/**
 * One user write as the bridge sends it for a new contact with the default field mapping.
 *
 * @param array $user One row of the input.
 * @param int[] $tags Tag ids.
 * @return array
 */
function pulse_bench_write( array $user, array $tags ): array {
	return array(
		'delivery_id'        => 'msg_bench' . md5( $user['email'] ),
		'action'             => 'add',
		'contact_id'         => (int) $user['contact_id'],
		'email'              => $user['email'],
		'user'               => array(
			'user_email' => $user['email'],
			'first_name' => $user['first_name'],
			'last_name'  => $user['last_name'],
		),
		'meta'               => array( 'billing_phone' => '' ),
		'tags'               => $tags,
		'send_notification'  => false,
		'generated_password' => wp_generate_password( 24 ),
	);
}

$pulse_queries = 0;
$pulse_shapes  = array();
add_filter(
	'query',
	static function ( $query ) use ( &$pulse_queries, &$pulse_shapes ) {
		++$pulse_queries;
		$shape                   = implode( ' ', array_slice( preg_split( '/\s+/', trim( (string) $query ) ), 0, 4 ) );
		$pulse_shapes[ $shape ]  = ( $pulse_shapes[ $shape ] ?? 0 ) + 1;
		return $query;
	}
);

// The writes are built before the clock starts: the bridge builds them, not WordPress.
$pulse_batches = 'batch' === $pulse_input['mode']
	? array_chunk( array_map( static fn( $user ) => pulse_bench_write( $user, $pulse_tags ), $pulse_input['users'] ), $pulse_batch_size )
	: array();

$pulse_cpu_before = pulse_bench_cpu_seconds();
$pulse_started    = microtime( true );
if ( 'bare' === $pulse_input['mode'] ) {
	foreach ( $pulse_input['users'] as $pulse_user ) {
		pulse_bench_insert_user( $pulse_user, $pulse_tags );
	}
} else {
	foreach ( $pulse_batches as $pulse_writes ) {
		foreach ( UserBatch::from_body( array( 'writes' => $pulse_writes ) )->write( new Upserter() ) as $pulse_result ) {
			if ( 'created' !== ( $pulse_result['status'] ?? null ) ) {
				fwrite( STDERR, 'user write failed: ' . wp_json_encode( $pulse_result ) . "\n" );
				exit( 1 );
			}
		}
	}
}
arsort( $pulse_shapes );
echo wp_json_encode(
	array(
		'users'       => count( $pulse_input['users'] ),
		'queries'     => $pulse_queries,
		'cpu_seconds' => pulse_bench_cpu_seconds() - $pulse_cpu_before,
		'seconds'     => microtime( true ) - $pulse_started,
		'shapes'      => $pulse_shapes,
	)
);
