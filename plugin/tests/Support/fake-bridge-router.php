<?php
/**
 * Router for `php -S` playing the bridge in tests: records every request and answers
 * with the scripted answer for its path (see FakeBridge).
 *
 * @package PulseSync\Tests
 */

$pulse_fake_dir = (string) getenv( 'PULSE_FAKE_BRIDGE_DIR' );
$pulse_path     = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
$pulse_headers  = array();
foreach ( getallheaders() as $pulse_name => $pulse_value ) {
	$pulse_headers[ strtolower( $pulse_name ) ] = $pulse_value;
}
$pulse_body = (string) file_get_contents( 'php://input' );
file_put_contents(
	$pulse_fake_dir . '/requests.jsonl',
	json_encode(
		array(
			'method'  => $_SERVER['REQUEST_METHOD'],
			'uri'     => $_SERVER['REQUEST_URI'],
			'path'    => $pulse_path,
			'headers' => $pulse_headers,
			'body'    => $pulse_body,
		)
	) . "\n",
	FILE_APPEND | LOCK_EX
);
$pulse_answers = json_decode( (string) @file_get_contents( $pulse_fake_dir . '/answers.json' ), true );
$pulse_id      = json_decode( $pulse_body, true )['id'] ?? null;
$pulse_answer  = ( is_string( $pulse_id ) ? $pulse_answers[ $pulse_path . '#' . $pulse_id ] ?? null : null ) ?? $pulse_answers[ $pulse_path ] ?? array(
	'status' => 404,
	'body'   => array(
		'error'   => 'not_found',
		'message' => 'No scripted answer.',
	),
);
http_response_code( (int) $pulse_answer['status'] );
header( 'Content-Type: application/json' );
echo json_encode( $pulse_answer['body'] );
