<?php
/**
 * Tests for Standard Webhooks signing bound to the request.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Bridge;

use PulseSync\Bridge\Signature;
use PulseSync\Bridge\SignatureError;
use PulseSync\Bridge\SignedRequest;
use PulseSync\Tests\TestCase;

defined( 'ABSPATH' ) || exit;

/**
 * @covers \PulseSync\Bridge\Signature
 * @covers \PulseSync\Bridge\SignedRequest
 */
class SignatureTest extends TestCase {

	private const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
	private const OTHER  = 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
	private const BODY   = '{"writes":[]}';
	private const ROUTE  = '/pulse-sync/v1/bridge/users';
	private const NOW    = 1700000000;

	/**
	 * A request for the users route.
	 *
	 * @param string $body Body.
	 * @return SignedRequest
	 */
	private static function users( string $body = self::BODY ): SignedRequest {
		return new SignedRequest( 'POST', self::ROUTE, array(), $body );
	}

	/**
	 * Verifies in the bridge → plugin direction.
	 *
	 * @param SignedRequest        $request Request.
	 * @param array<string,string> $headers Headers.
	 * @param string[]             $secrets Secrets.
	 * @return int
	 */
	private static function verify( SignedRequest $request, array $headers, array $secrets = array( self::SECRET ) ): int {
		return Signature::verify( $secrets, SignedRequest::BRIDGE_TO_PLUGIN, $request, $headers['webhook-id'] ?? null, $headers['webhook-timestamp'] ?? null, $headers['webhook-signature'] ?? null, self::NOW );
	}

	/**
	 * Signature matches an independent hmac computation (the test base class signs on its own).
	 */
	public function test_signature_matches_an_independent_hmac_computation(): void {
		$headers = $this->signature_headers( self::BODY, self::NOW, self::SECRET );
		$this->assertSame( $headers['webhook-signature'], Signature::sign( array( self::SECRET ), SignedRequest::BRIDGE_TO_PLUGIN, self::users(), $headers['webhook-id'], self::NOW ) );
	}

	/**
	 * The same as the bridge's own test pins (bridge/test/signature.test.ts), so both sides agree.
	 */
	public function test_signs_as_the_bridge_does(): void {
		$secret  = 'whsec_' . base64_encode( str_repeat( "\x03", 32 ) );
		$request = new SignedRequest( 'POST', '/v1/deliveries', array( 'b' => 2, 'a' => 'x y' ), '{"a":1}' );
		$key     = hash_hmac( 'sha256', 'pulse-sync/plugin-to-bridge', str_repeat( "\x03", 32 ), true );
		$this->assertSame( 'a=x%20y&b=2', $request->query );
		$this->assertSame(
			'v1,' . base64_encode( hash_hmac( 'sha256', "msg_1.1700000000.pulse-sync/plugin-to-bridge\nPOST\n/v1/deliveries\na=x%20y&b=2\n{\"a\":1}", $key, true ) ),
			Signature::sign( array( $secret ), SignedRequest::PLUGIN_TO_BRIDGE, $request, 'msg_1', self::NOW )
		);
	}

	/**
	 * Verifies its own signature and answers the timestamp.
	 */
	public function test_verifies_its_own_signature(): void {
		$headers = Signature::headers( array( self::SECRET ), SignedRequest::BRIDGE_TO_PLUGIN, self::users(), 'msg_abc', self::NOW );
		$this->assertSame( self::NOW, self::verify( self::users(), $headers ) );
	}

	/**
	 * Signs with every secret, current first; a side that knows either accepts.
	 */
	public function test_signs_with_every_secret_and_accepts_any(): void {
		$headers = Signature::headers( array( self::SECRET, self::OTHER ), SignedRequest::BRIDGE_TO_PLUGIN, self::users(), 'msg_abc', self::NOW );
		$this->assertSame(
			Signature::sign( array( self::SECRET ), SignedRequest::BRIDGE_TO_PLUGIN, self::users(), 'msg_abc', self::NOW ) . ' ' . Signature::sign( array( self::OTHER ), SignedRequest::BRIDGE_TO_PLUGIN, self::users(), 'msg_abc', self::NOW ),
			$headers['webhook-signature']
		);
		self::verify( self::users(), $headers, array( self::OTHER ) );
		$old = Signature::headers( array( self::OTHER ), SignedRequest::BRIDGE_TO_PLUGIN, self::users(), 'msg_abc', self::NOW );
		$this->assertSame( self::NOW, self::verify( self::users(), $old, array( self::SECRET, self::OTHER ) ) );
		$this->expectException( SignatureError::class );
		self::verify( self::users(), $old, array( self::SECRET ) );
	}

	/**
	 * Accepts timestamps within 300 seconds either way.
	 */
	public function test_accepts_timestamps_within_300_seconds_either_way(): void {
		foreach ( array( -300, 300 ) as $skew ) {
			$headers = Signature::headers( array( self::SECRET ), SignedRequest::BRIDGE_TO_PLUGIN, self::users(), 'msg_abc', self::NOW + $skew );
			$this->assertSame( self::NOW + $skew, self::verify( self::users(), $headers ) );
		}
	}

	/**
	 * The query is canonical: order and `+`/`%20` do not matter, a value does.
	 */
	public function test_the_canonical_query_ignores_order_and_encoding_not_values(): void {
		$this->assertSame( 'a=%C3%A9&email=a%2Bb%40x.com&q=it%27s%20%28ok%29%2A%21~', SignedRequest::canonical_query( array( 'q' => "it's (ok)*!~", 'email' => 'a+b@x.com', 'a' => 'é' ) ) );
		$this->assertSame( 'refresh=1&x=0', SignedRequest::canonical_query( array( 'x' => false, 'refresh' => true ) ) );
		$this->expectException( SignatureError::class );
		SignedRequest::canonical_query( array( 'a' => array( 1 ) ) );
	}

	/**
	 * @dataProvider bad_messages
	 *
	 * @param string|null   $id        webhook-id.
	 * @param string|null   $timestamp webhook-timestamp.
	 * @param string|null   $signature webhook-signature.
	 * @param SignedRequest $request   What arrived.
	 */
	public function test_refuses_bad_messages( ?string $id, ?string $timestamp, ?string $signature, SignedRequest $request ): void {
		$this->expectException( SignatureError::class );
		Signature::verify( array( self::SECRET ), SignedRequest::BRIDGE_TO_PLUGIN, $request, $id, $timestamp, $signature, self::NOW );
	}

	/**
	 * Messages that must not verify, the attacks of issue 11 among them.
	 *
	 * @return array<string,array{0:?string,1:?string,2:?string,3:SignedRequest}>
	 */
	public function bad_messages(): array {
		$good  = Signature::sign( array( self::SECRET ), SignedRequest::BRIDGE_TO_PLUGIN, self::users(), 'msg_abc', self::NOW );
		$other = static fn( SignedRequest $request, string $direction = SignedRequest::BRIDGE_TO_PLUGIN ) => Signature::sign( array( self::SECRET ), $direction, $request, 'msg_abc', self::NOW );
		$ts    = (string) self::NOW;
		return array(
			'missing id'                          => array( null, $ts, $good, self::users() ),
			'missing timestamp'                   => array( 'msg_abc', null, $good, self::users() ),
			'missing signature'                   => array( 'msg_abc', $ts, null, self::users() ),
			'tampered body'                       => array( 'msg_abc', $ts, $good, self::users( self::BODY . ' ' ) ),
			'other id'                            => array( 'msg_abd', $ts, $good, self::users() ),
			'id with a dot'                       => array( 'msg.abc', $ts, $good, self::users() ),
			'timestamp 301 s early'               => array( 'msg_abc', (string) ( self::NOW - 301 ), $good, self::users() ),
			'timestamp 301 s late'                => array( 'msg_abc', (string) ( self::NOW + 301 ), $good, self::users() ),
			'non-numeric timestamp'               => array( 'msg_abc', '17e8', $good, self::users() ),
			'unknown version only'                => array( 'msg_abc', $ts, 'v2,' . substr( $good, 3 ), self::users() ),
			'malformed signature header'          => array( 'msg_abc', $ts, $good . ' garbage', self::users() ),
			'nine signatures'                     => array( 'msg_abc', $ts, implode( ' ', array_fill( 0, 9, $good ) ), self::users() ),
			'wrong secret'                        => array( 'msg_abc', $ts, Signature::sign( array( self::OTHER ), SignedRequest::BRIDGE_TO_PLUGIN, self::users(), 'msg_abc', self::NOW ), self::users() ),
			'GET /v1/status replayed to settings' => array( 'msg_abc', $ts, $other( new SignedRequest( 'GET', '/v1/status', array(), '' ), SignedRequest::PLUGIN_TO_BRIDGE ), new SignedRequest( 'GET', '/pulse-sync/v1/bridge/settings', array(), '' ) ),
			'same request, other direction'       => array( 'msg_abc', $ts, $other( self::users(), SignedRequest::PLUGIN_TO_BRIDGE ), self::users() ),
			'other route'                         => array( 'msg_abc', $ts, $good, new SignedRequest( 'POST', '/pulse-sync/v1/bridge/settings', array(), self::BODY ) ),
			'other method'                        => array( 'msg_abc', $ts, $good, new SignedRequest( 'PUT', self::ROUTE, array(), self::BODY ) ),
			'query added'                         => array( 'msg_abc', $ts, $good, new SignedRequest( 'POST', self::ROUTE, array( 'page' => 2 ), self::BODY ) ),
			'query changed'                       => array( 'msg_abc', $ts, $other( new SignedRequest( 'GET', self::ROUTE, array( 'email' => 'a@x.test' ), '' ) ), new SignedRequest( 'GET', self::ROUTE, array( 'email' => 'b@x.test' ), '' ) ),
		);
	}

	/**
	 * Refuses a malformed or missing secret without quoting it.
	 */
	public function test_refuses_a_malformed_secret_without_quoting_it(): void {
		try {
			Signature::sign( array( 'whsec_***not base64***' ), SignedRequest::PLUGIN_TO_BRIDGE, self::users(), 'msg_abc', self::NOW );
			$this->fail( 'A malformed secret must be refused.' );
		} catch ( SignatureError $e ) {
			$this->assertSame( 401, $e->status() );
			$this->assertStringNotContainsString( 'not base64', $e->getMessage() );
		}
		$this->expectException( SignatureError::class );
		Signature::sign( array(), SignedRequest::PLUGIN_TO_BRIDGE, self::users(), 'msg_abc', self::NOW );
	}
}
