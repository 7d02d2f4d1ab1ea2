<?php
/**
 * A scripted stand-in for the bridge, served by `php -S` on a free local port.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Support;

defined( 'ABSPATH' ) || exit;

/**
 * Starts and stops the fake bridge; scripts answers per path; reads what it received.
 *
 * @since 0.1.0
 */
class FakeBridge {

	/**
	 * The php -S process.
	 *
	 * @var resource|null
	 */
	private $process = null;

	/**
	 * Working directory (answers.json, requests.jsonl).
	 *
	 * @var string
	 */
	private string $dir;

	/**
	 * Port.
	 *
	 * @var int
	 */
	public int $port;

	/**
	 * Starts the server and waits until it accepts connections.
	 */
	public function __construct() {
		$this->dir  = sys_get_temp_dir() . '/pulse-fake-bridge-' . bin2hex( random_bytes( 6 ) );
		$this->port = self::free_port();
		mkdir( $this->dir );
		file_put_contents( $this->dir . '/answers.json', '{}' );
		$env           = array_merge( getenv(), array( 'PULSE_FAKE_BRIDGE_DIR' => $this->dir ) );
		$this->process = proc_open(
			array( PHP_BINARY, '-S', '127.0.0.1:' . $this->port, __DIR__ . '/fake-bridge-router.php' ),
			array(
				0 => array( 'file', '/dev/null', 'r' ),
				1 => array( 'file', '/dev/null', 'w' ),
				2 => array( 'file', '/dev/null', 'w' ),
			),
			$pipes,
			null,
			$env
		);
		for ( $i = 0; $i < 100; $i++ ) {
			$socket = @fsockopen( '127.0.0.1', $this->port, $errno, $errstr, 0.1 );
			if ( false !== $socket ) {
				fclose( $socket );
				return;
			}
			usleep( 50000 );
		}
		throw new \RuntimeException( 'The fake bridge did not start.' );
	}

	/**
	 * A local TCP port nobody listens on right now.
	 *
	 * @return int
	 */
	public static function free_port(): int {
		$socket = stream_socket_server( 'tcp://127.0.0.1:0' );
		$name   = stream_socket_get_name( $socket, false );
		fclose( $socket );
		return (int) substr( (string) $name, strrpos( (string) $name, ':' ) + 1 );
	}

	/**
	 * Base URL.
	 *
	 * @return string
	 */
	public function url(): string {
		return 'http://127.0.0.1:' . $this->port;
	}

	/**
	 * Scripts the answer for a path.
	 *
	 * @param string $path   Path, e.g. /v1/deliveries.
	 * @param int    $status HTTP status.
	 * @param array  $body   JSON body.
	 * @return void
	 */
	public function answer( string $path, int $status, array $body ): void {
		$answers          = json_decode( (string) file_get_contents( $this->dir . '/answers.json' ), true );
		$answers[ $path ] = array(
			'status' => $status,
			'body'   => $body,
		);
		file_put_contents( $this->dir . '/answers.json', json_encode( $answers ) );
	}

	/**
	 * Scripts the answer to `POST /v1/deliveries` for one delivery id (other ids get the path's answer).
	 *
	 * @param string $delivery_id Delivery id (the body's `id`).
	 * @param int    $status      HTTP status.
	 * @param array  $body        JSON body.
	 * @return void
	 */
	public function answer_delivery( string $delivery_id, int $status, array $body ): void {
		$this->answer( '/v1/deliveries#' . $delivery_id, $status, $body );
	}

	/**
	 * Requests received so far.
	 *
	 * @return array<int,array{method:string,uri:string,path:string,headers:array<string,string>,body:string}>
	 */
	public function requests(): array {
		$file = $this->dir . '/requests.jsonl';
		if ( ! is_readable( $file ) ) {
			return array();
		}
		return array_map( static fn( $line ) => json_decode( $line, true ), array_filter( explode( "\n", (string) file_get_contents( $file ) ) ) );
	}

	/**
	 * Stops the server and removes its files.
	 *
	 * @return void
	 */
	public function stop(): void {
		if ( null !== $this->process ) {
			proc_terminate( $this->process );
			proc_close( $this->process );
			$this->process = null;
		}
		array_map( 'unlink', glob( $this->dir . '/*' ) ?: array() );
		@rmdir( $this->dir );
	}
}
