<?php
/**
 * The `?wpf_action=` endpoint.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Webhook;

use PulseSync\AccessKey;
use PulseSync\Bridge\Client;
use PulseSync\Bridge\Pairing;
use PulseSync\HttpError;
use PulseSync\Support\OptionCache;

defined( 'ABSPATH' ) || exit;

/**
 * Answers every front-end request whose query string has `wpf_action`, GET or POST,
 * before `init`, always with JSON.
 *
 * @since 0.1.0
 */
class Listener {

	/**
	 * Whether the current request is a webhook: a front-end request (not wp-admin,
	 * wp-login.php, WP-Cron or XML-RPC) whose query string names `wpf_action`.
	 *
	 * @since 0.1.0
	 *
	 * @return bool
	 */
	public static function is_webhook_request(): bool {
		if ( is_admin() || 'index.php' !== ( $GLOBALS['pagenow'] ?? '' ) ) {
			return false;
		}
		$query_string = (string) ( $_SERVER['QUERY_STRING'] ?? '' ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- only searched for a parameter name.
		foreach ( explode( '&', $query_string ) as $segment ) {
			$name = urldecode( explode( '=', $segment, 2 )[0] );
			if ( 'wpf_action' === $name || str_starts_with( $name, 'wpf_action[' ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Keeps anything printed before the answer (a notice from another plugin, say)
	 * out of the JSON body; called as soon as the plugin loads.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function capture_stray_output(): void {
		ini_set( 'display_errors', '0' ); // phpcs:ignore WordPress.PHP.IniSet.display_errors_Disallowed -- a webhook answer must be pure JSON.
		ob_start();
		// wp_die() from another plugin, or WordPress's fatal error page, must not answer the CRM with HTML.
		add_filter( 'wp_die_handler', static fn() => array( self::class, 'die_as_json' ), PHP_INT_MAX );
	}

	/**
	 * `wp_die()` handler during a webhook: the spec's JSON error shape instead of an HTML page.
	 *
	 * @since 0.1.0
	 *
	 * @param string|\WP_Error    $message Message.
	 * @param string|int          $title   Title (unused; the code says what happened).
	 * @param array<string,mixed> $args    wp_die() arguments; `response` is the status.
	 * @return void
	 */
	public static function die_as_json( $message, $title = '', $args = array() ): void {
		self::emit( Answer::from_wp_die( is_array( $args ) ? (int) ( $args['response'] ?? 500 ) : 500 ) );
		if ( ! is_array( $args ) || false !== ( $args['exit'] ?? true ) ) {
			exit;
		}
	}

	/**
	 * `after_setup_theme` callback (hooked for webhook requests only): answers and exits.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function maybe_handle(): void {
		OptionCache::prime( self::options_read() );
		$dispatcher = new Dispatcher( Client::from_settings() );
		try {
			$answer = self::answer( Request::from_globals(), $dispatcher );
		} catch ( HttpError $e ) {
			$answer = Answer::from_error( $e );
			self::log_refusal( $answer );
		} catch ( \Throwable $e ) {
			$answer = Answer::unavailable();
			error_log( 'Pulse Sync: webhook failed: ' . get_class( $e ) . ' in ' . $e->getFile() . ':' . $e->getLine() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- operators need to see unexpected failures.
		}
		self::emit( $answer );
		// Only after a webhook that had the key: a stranger's request must not cost bridge calls.
		if ( $answer->status < 300 ) {
			self::hand_over_spool_after_answer( $dispatcher->bridge_answered() );
		}
		exit;
	}

	/**
	 * The options a webhook with the right key reads that are not autoloaded, loaded in one
	 * query before any of them is needed (OptionCache).
	 *
	 * @since 0.2.0
	 *
	 * @return string[]
	 */
	private static function options_read(): array {
		return array_merge(
			array( AccessKey::OPTION, Pairing::SECRET_OPTION, Pairing::PREVIOUS_SECRET_OPTION ),
			FlowControl::transient_options()
		);
	}

	/**
	 * Decides the answer. The order matters: nobody without the key learns whether an
	 * action or contact id is valid, and the right key is never throttled.
	 *
	 * @since 0.1.0
	 *
	 * @param Request    $request    Parsed request.
	 * @param Dispatcher $dispatcher Dispatcher.
	 * @return Answer
	 * @throws HttpError For every refusal.
	 */
	public static function answer( Request $request, Dispatcher $dispatcher ): Answer {
		// The key first: the throttle only ever sees wrong keys, so nobody sharing the CRM's
		// proxy, CDN or IPv6 /64 can lock its webhooks out with wrong ones.
		if ( ! AccessKey::matches( $request->access_key() ) ) {
			( new KeyThrottle( $request->source_ip() ) )->refuse_wrong_key( time() );
		}
		$action = $request->action();
		if ( 'test' === $action ) {
			return new Answer(
				200,
				array(
					'success' => true,
					'action'  => 'test',
					'message' => __( 'Pulse Sync received the test webhook.', 'pulse-sync' ),
				)
			);
		}
		$contact_id = $request->contact_id();
		$params     = array( 'send_notification' => $request->send_notification() );
		$role       = $request->role();
		if ( null !== $role ) {
			$params['role'] = $role;
		}
		return $dispatcher->dispatch( $action, $contact_id, $params, $request->source_ip() );
	}

	/**
	 * Sends the answer, discarding anything printed before it.
	 *
	 * @since 0.1.0
	 *
	 * @param Answer $answer Answer.
	 * @return void
	 */
	private static function emit( Answer $answer ): void {
		while ( ob_get_level() > 0 ) {
			ob_end_clean();
		}
		$json = (string) wp_json_encode( $answer->body );
		if ( ! headers_sent() ) {
			status_header( $answer->status );
			nocache_headers();
			header( 'Content-Type: application/json; charset=utf-8' );
			header( 'Cache-Control: no-store' );
			header( 'X-Content-Type-Options: nosniff' );
			header( 'X-Robots-Tag: noindex' );
			header( 'Content-Length: ' . strlen( $json ) );
			foreach ( $answer->headers as $name => $value ) {
				header( $name . ': ' . $value );
			}
		}
		echo $json; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- JSON, served as application/json.
	}

	/**
	 * Once the CRM has its answer, hands spooled deliveries to the bridge: every one of them
	 * when the bridge has just answered this request (whatever back-off they earned while it
	 * was away), else those that are due, unless the bridge was found away moments ago.
	 *
	 * Webhooks are answered before `init`, so they never run WP-Cron; without this, what was
	 * spooled while the bridge restarted would wait for the next page view.
	 *
	 * @since 0.1.0
	 *
	 * @param bool $bridge_answered Whether the bridge answered this request.
	 * @return void
	 */
	private static function hand_over_spool_after_answer( bool $bridge_answered ): void {
		if ( ( ! $bridge_answered && FlowControl::bridge_down_reported() ) || ! Spool::has_pending() ) {
			return;
		}
		ignore_user_abort( true );
		if ( function_exists( 'fastcgi_finish_request' ) ) {
			fastcgi_finish_request();
		} else {
			// Content-Length lets the client finish reading now, while this worker goes on.
			flush();
		}
		/**
		 * Filters how many spooled deliveries a webhook hands over after answering. A hand-over
		 * takes a few milliseconds, so the default keeps this worker busy for well under a second
		 * while a spool of thousands (a bridge restart during a storm) empties within a minute.
		 *
		 * @since 0.1.0
		 *
		 * @param int $limit Default 100.
		 */
		Spool::flush( Client::from_settings(), (int) apply_filters( 'pulse_sync_spool_webhook_batch', 100 ), $bridge_answered );
	}

	/**
	 * Logs a refused webhook (status, code and address, never the key) when debugging.
	 *
	 * @since 0.1.0
	 *
	 * @param Answer $answer Answer.
	 * @return void
	 */
	private static function log_refusal( Answer $answer ): void {
		if ( defined( 'WP_DEBUG' ) && WP_DEBUG ) {
			$ip = (string) ( $_SERVER['REMOTE_ADDR'] ?? '' ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- validated below.
			error_log( sprintf( 'Pulse Sync: webhook refused: %d %s from %s', $answer->status, (string) $answer->body['error'], false === filter_var( $ip, FILTER_VALIDATE_IP ) ? '?' : $ip ) ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log
		}
	}
}
