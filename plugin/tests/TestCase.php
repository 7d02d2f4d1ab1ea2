<?php
/**
 * Base class for the plugin's tests: isolation between tests and helpers to reach the running
 * site the way the CRM, the bridge and a browser do.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests;

defined( 'ABSPATH' ) || exit;

/**
 * Every test starts from the same site: users, options, spool rows and user lookup rows a test
 * creates are removed afterwards, so tests can run in any order against one stack.
 *
 * @since 0.1.0
 */
abstract class TestCase extends \PHPUnit\Framework\TestCase {

	/**
	 * Highest user id before the test.
	 *
	 * @var int
	 */
	private int $max_user_id = 0;

	/**
	 * Options restored after the test.
	 *
	 * @var array<string, mixed>
	 */
	private array $saved_options = array();

	/**
	 * Options every test may change.
	 *
	 * @var string[]
	 */
	private const GUARDED_OPTIONS = array(
		'pulse_sync_settings',
		'pulse_sync_access_key',
		'pulse_sync_bridge_secret',
		'pulse_sync_crm_client_secret',
		'pulse_sync_settings_rev',
	);

	/**
	 * Snapshot what the test may change.
	 */
	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		$this->max_user_id = (int) $wpdb->get_var( "SELECT MAX(ID) FROM {$wpdb->users}" );
		foreach ( self::GUARDED_OPTIONS as $name ) {
			$this->saved_options[ $name ] = get_option( $name, null );
		}
		$this->fresh();
	}

	/**
	 * Put back what the test changed, in the database the site shares with us.
	 */
	protected function tearDown(): void {
		global $wpdb;
		$this->fresh();
		$new_users = $wpdb->get_col( $wpdb->prepare( "SELECT ID FROM {$wpdb->users} WHERE ID > %d", $this->max_user_id ) );
		foreach ( $new_users as $user_id ) {
			wp_delete_user( (int) $user_id );
		}
		foreach ( $this->saved_options as $name => $value ) {
			if ( null === $value ) {
				delete_option( $name );
			} else {
				update_option( $name, $value );
			}
		}
		$spool = $wpdb->prefix . 'pulse_sync_spool';
		if ( self::table_exists( $spool ) ) {
			$wpdb->query( "DELETE FROM {$spool}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
		// The meta hooks forget deleted users; this also removes rows a test wrote straight into the table.
		$lookup = $wpdb->base_prefix . 'pulse_sync_user_lookup';
		if ( self::table_exists( $lookup ) ) {
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$lookup} WHERE user_id > %d", $this->max_user_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
		delete_transient( 'pulse_sync_bridge_backlog' );
		$throttle = $wpdb->prefix . 'pulse_sync_throttle';
		if ( self::table_exists( $throttle ) ) {
			$wpdb->query( "DELETE FROM {$throttle}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
		$this->fresh();
		parent::tearDown();
	}

	/**
	 * Whether a table exists (a test may have uninstalled the plugin).
	 *
	 * @param string $table Table name.
	 * @return bool
	 */
	private static function table_exists( string $table ): bool {
		global $wpdb;
		return $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $table ) ) === $table;
	}

	/**
	 * Forget cached objects: the site changes the database behind this process's back.
	 */
	protected function fresh(): void {
		wp_cache_flush();
	}

	/**
	 * The running stack (see dev/src/stack-file.ts).
	 *
	 * @return array<string, mixed>
	 */
	protected function stack(): array {
		return PULSE_SYNC_TEST_STACK;
	}

	/**
	 * A real HTTP request to the running site.
	 *
	 * @param string               $method  HTTP method.
	 * @param string               $path    Path and query, e.g. "/?wpf_action=test".
	 * @param string|null          $body    Raw body.
	 * @param array<string,string> $headers Request headers.
	 * @return array{status:int, headers:array<string,string>, body:string, json:mixed}
	 */
	protected function http( string $method, string $path, ?string $body = null, array $headers = array() ): array {
		$curl = curl_init( $this->stack()['siteUrl'] . $path );
		$received = array();
		curl_setopt_array(
			$curl,
			array(
				CURLOPT_CUSTOMREQUEST  => $method,
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_TIMEOUT        => 30,
				CURLOPT_HTTPHEADER     => array_map(
					static fn( $name, $value ) => "{$name}: {$value}",
					array_keys( $headers ),
					$headers
				),
				CURLOPT_HEADERFUNCTION => static function ( $handle, $line ) use ( &$received ) {
					$parts = explode( ':', $line, 2 );
					if ( 2 === count( $parts ) ) {
						$received[ strtolower( trim( $parts[0] ) ) ] = trim( $parts[1] );
					}
					return strlen( $line );
				},
			)
		);
		if ( null !== $body ) {
			curl_setopt( $curl, CURLOPT_POSTFIELDS, $body );
		}
		$response = (string) curl_exec( $curl );
		$status   = (int) curl_getinfo( $curl, CURLINFO_RESPONSE_CODE );
		curl_close( $curl );
		$this->fresh();
		return array(
			'status'  => $status,
			'headers' => $received,
			'body'    => $response,
			'json'    => json_decode( $response, true ),
		);
	}

	/**
	 * Several real HTTP requests to the running site at once (curl_multi), for races and bursts.
	 *
	 * @param array<int,array{method:string,path:string,body?:string,headers?:array<string,string>}> $requests Requests.
	 * @return array<int,array{status:int, retry_after:int, body:string, json:mixed}> The answers, in the order of `$requests`.
	 */
	protected function http_at_once( array $requests ): array {
		$multi   = curl_multi_init();
		$handles = array();
		foreach ( $requests as $request ) {
			$handle  = curl_init( $this->stack()['siteUrl'] . $request['path'] );
			$headers = $request['headers'] ?? array();
			curl_setopt_array(
				$handle,
				array(
					CURLOPT_CUSTOMREQUEST  => $request['method'],
					CURLOPT_RETURNTRANSFER => true,
					CURLOPT_HEADER         => true,
					CURLOPT_TIMEOUT        => 120,
					CURLOPT_HTTPHEADER     => array_map( static fn( $name, $value ) => "{$name}: {$value}", array_keys( $headers ), $headers ),
				)
			);
			if ( isset( $request['body'] ) ) {
				curl_setopt( $handle, CURLOPT_POSTFIELDS, $request['body'] );
			}
			curl_multi_add_handle( $multi, $handle );
			$handles[] = $handle;
		}
		do {
			$status = curl_multi_exec( $multi, $running );
			if ( $running ) {
				curl_multi_select( $multi, 1.0 );
			}
		} while ( $running && CURLM_OK === $status );
		$answers = array();
		foreach ( $handles as $handle ) {
			$raw         = (string) curl_multi_getcontent( $handle );
			$header_size = (int) curl_getinfo( $handle, CURLINFO_HEADER_SIZE );
			$body        = substr( $raw, $header_size );
			$answers[]   = array(
				'status'      => (int) curl_getinfo( $handle, CURLINFO_RESPONSE_CODE ),
				'retry_after' => preg_match( '/^retry-after:\s*(\d+)/mi', substr( $raw, 0, $header_size ), $match ) ? (int) $match[1] : 0,
				'body'        => $body,
				'json'        => json_decode( $body, true ),
			);
			curl_multi_remove_handle( $multi, $handle );
			curl_close( $handle );
		}
		curl_multi_close( $multi );
		$this->fresh();
		return $answers;
	}

	/**
	 * Standard Webhooks headers for a request as the bridge signs it (docs/architecture.md,
	 * "Signing"), written independently of the plugin's own Signature class so that a mistake
	 * there cannot hide itself in the tests.
	 *
	 * @param string   $body      The exact body sent.
	 * @param int|null $timestamp Unix time to sign with (default now).
	 * @param string   $secret    whsec_… secret (default the site's bridge secret).
	 * @param string   $method    HTTP method signed.
	 * @param string   $route     REST route signed (without /wp-json).
	 * @param string   $query     Canonical query signed.
	 * @return array<string,string>
	 */
	protected function signature_headers( string $body, ?int $timestamp = null, string $secret = '', string $method = 'POST', string $route = '/pulse-sync/v1/bridge/users', string $query = '' ): array {
		$secret    = '' !== $secret ? $secret : (string) get_option( 'pulse_sync_bridge_secret' );
		$timestamp = $timestamp ?? time();
		$id        = 'msg_' . bin2hex( random_bytes( 16 ) );
		$key       = hash_hmac( 'sha256', 'pulse-sync/bridge-to-plugin', base64_decode( substr( $secret, strlen( 'whsec_' ) ) ), true );
		$content   = "pulse-sync/bridge-to-plugin\n{$method}\n{$route}\n{$query}\n{$body}";
		$signature = base64_encode( hash_hmac( 'sha256', "{$id}.{$timestamp}.{$content}", $key, true ) );
		return array(
			'webhook-id'        => $id,
			'webhook-timestamp' => (string) $timestamp,
			'webhook-signature' => "v1,{$signature}",
			'Content-Type'      => 'application/json',
		);
	}

	/**
	 * A signed call to the plugin's REST API, as the bridge makes it.
	 *
	 * @param string     $method HTTP method.
	 * @param string     $route  Route below /wp-json/pulse-sync/v1, e.g. "/bridge/users".
	 * @param array|null $data   JSON body.
	 * @return array{status:int, headers:array<string,string>, body:string, json:mixed}
	 */
	protected function signed_rest( string $method, string $route, ?array $data = null ): array {
		$body = null === $data ? '' : (string) wp_json_encode( $data );
		return $this->http( $method, '/wp-json/pulse-sync/v1' . $route, '' === $body ? null : $body, $this->signature_headers( $body, null, '', $method, '/pulse-sync/v1' . $route ) );
	}

	/**
	 * Mail the stack's SMTP sink captured for an address, oldest first.
	 *
	 * @param string $address Recipient.
	 * @return array<int, array<string, mixed>>
	 */
	protected function mail_to( string $address ): array {
		$found = array();
		foreach ( glob( $this->stack()['mailDir'] . '/*.json' ) ?: array() as $file ) {
			$mail = json_decode( (string) file_get_contents( $file ), true );
			if ( is_array( $mail ) && in_array( strtolower( $address ), array_map( 'strtolower', $mail['envelopeTo'] ), true ) ) {
				$found[] = $mail;
			}
		}
		return $found;
	}
}
