<?php
/**
 * Tests for webhook answers.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Webhook;

use PulseSync\Tests\TestCase;
use PulseSync\Webhook\Answer;

defined( 'ABSPATH' ) || exit;

/**
 * @covers \PulseSync\Webhook\Answer
 * @covers \PulseSync\Webhook\Listener
 */
class AnswerTest extends TestCase {

	/**
	 * A wp_die() with a client status keeps it.
	 */
	public function test_wp_die_with_a_4xx_keeps_the_status(): void {
		$answer = Answer::from_wp_die( 403 );
		$this->assertSame( 403, $answer->status );
		$this->assertSame( 'request_refused', $answer->body['error'] );
		$this->assertFalse( $answer->body['success'] );
	}

	/**
	 * A fatal error page (wp_die with 500) becomes 503 + Retry-After, never 500.
	 */
	public function test_wp_die_with_a_500_becomes_503_with_retry_after(): void {
		$answer = Answer::from_wp_die( 500 );
		$this->assertSame( 503, $answer->status );
		$this->assertSame( 'temporarily_unavailable', $answer->body['error'] );
		$this->assertSame( '60', $answer->headers['Retry-After'] );
	}

	/**
	 * During a webhook, wp_die() is routed to the JSON handler.
	 */
	public function test_webhook_requests_get_the_json_die_handler(): void {
		$query                   = $_SERVER['QUERY_STRING'] ?? null;
		$_SERVER['QUERY_STRING'] = 'wpf_action=add';
		$this->assertTrue( \PulseSync\Webhook\Listener::is_webhook_request() );
		$_SERVER['QUERY_STRING'] = 'page=wpf_action';
		$this->assertFalse( \PulseSync\Webhook\Listener::is_webhook_request() );
		$_SERVER['QUERY_STRING'] = $query;
		$levels                  = ob_get_level();
		$display                 = (string) ini_get( 'display_errors' );
		\PulseSync\Webhook\Listener::capture_stray_output();
		$handler = apply_filters( 'wp_die_handler', '_default_wp_die_handler' );
		ob_end_clean();
		remove_all_filters( 'wp_die_handler' );
		ini_set( 'display_errors', $display );
		$this->assertSame( $levels, ob_get_level() );
		$this->assertSame( array( \PulseSync\Webhook\Listener::class, 'die_as_json' ), $handler );
	}
}
