<?php
/**
 * Tests for Standard Webhooks signing.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Bridge;

use PulseSync\Bridge\Signature;
use PulseSync\Bridge\SignatureError;
use PulseSync\Tests\TestCase;

defined( 'ABSPATH' ) || exit;

/**
 * @covers \PulseSync\Bridge\Signature
 */
class SignatureTest extends TestCase {

	private const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
	private const BODY   = '{"id":"msg_1","action":"add"}';

	/**
	 * Signature matches an independent hmac computation.
	 */
	public function test_signature_matches_an_independent_hmac_computation(): void {
		$headers = $this->signature_headers( self::BODY, 1700000000, self::SECRET );
		$this->assertSame( $headers['webhook-signature'], Signature::sign( self::SECRET, $headers['webhook-id'], 1700000000, self::BODY ) );
	}

	/**
	 * Verifies its own signature.
	 */
	public function test_verifies_its_own_signature(): void {
		$headers = Signature::headers( self::SECRET, 'msg_abc', self::BODY, 1700000000 );
		Signature::verify( self::SECRET, 'msg_abc', $headers['webhook-timestamp'], $headers['webhook-signature'], self::BODY, 1700000000 );
		$this->addToAssertionCount( 1 );
	}

	/**
	 * Accepts any of several signatures for rotation.
	 */
	public function test_accepts_any_of_several_signatures_for_rotation(): void {
		$good = Signature::sign( self::SECRET, 'msg_abc', 1700000000, self::BODY );
		$old  = Signature::sign( 'whsec_' . base64_encode( random_bytes( 32 ) ), 'msg_abc', 1700000000, self::BODY );
		Signature::verify( self::SECRET, 'msg_abc', '1700000000', "{$old} {$good}", self::BODY, 1700000000 );
		$this->addToAssertionCount( 1 );
	}

	/**
	 * Accepts timestamps within 300 seconds either way.
	 */
	public function test_accepts_timestamps_within_300_seconds_either_way(): void {
		foreach ( array( -300, 300 ) as $skew ) {
			$signature = Signature::sign( self::SECRET, 'msg_abc', 1700000000 + $skew, self::BODY );
			Signature::verify( self::SECRET, 'msg_abc', (string) ( 1700000000 + $skew ), $signature, self::BODY, 1700000000 );
		}
		$this->addToAssertionCount( 2 );
	}

	/**
	 * @dataProvider bad_messages
	 *
	 * @param string|null $id        webhook-id.
	 * @param string|null $timestamp webhook-timestamp.
	 * @param string|null $signature webhook-signature.
	 * @param string      $body      Body.
	 */
	public function test_refuses_bad_messages( ?string $id, ?string $timestamp, ?string $signature, string $body ): void {
		$this->expectException( SignatureError::class );
		Signature::verify( self::SECRET, $id, $timestamp, $signature, $body, 1700000000 );
	}

	/**
	 * Messages that must not verify.
	 *
	 * @return array<string,array{0:?string,1:?string,2:?string,3:string}>
	 */
	public function bad_messages(): array {
		$good = 'v1,' . substr( Signature::sign( self::SECRET, 'msg_abc', 1700000000, self::BODY ), 3 );
		return array(
			'missing id'             => array( null, '1700000000', $good, self::BODY ),
			'missing timestamp'      => array( 'msg_abc', null, $good, self::BODY ),
			'missing signature'      => array( 'msg_abc', '1700000000', null, self::BODY ),
			'tampered body'          => array( 'msg_abc', '1700000000', $good, self::BODY . ' ' ),
			'other id'               => array( 'msg_abd', '1700000000', $good, self::BODY ),
			'timestamp 301 s early'  => array( 'msg_abc', '1699999699', Signature::sign( self::SECRET, 'msg_abc', 1699999699, self::BODY ), self::BODY ),
			'timestamp 301 s late'   => array( 'msg_abc', '1700000301', Signature::sign( self::SECRET, 'msg_abc', 1700000301, self::BODY ), self::BODY ),
			'non-numeric timestamp'  => array( 'msg_abc', '17e8', $good, self::BODY ),
			'unknown version'        => array( 'msg_abc', '1700000000', 'v2,' . substr( $good, 3 ), self::BODY ),
			'wrong secret'           => array( 'msg_abc', '1700000000', Signature::sign( 'whsec_' . base64_encode( random_bytes( 32 ) ), 'msg_abc', 1700000000, self::BODY ), self::BODY ),
		);
	}

	/**
	 * Refuses a malformed secret without quoting it.
	 */
	public function test_refuses_a_malformed_secret_without_quoting_it(): void {
		try {
			Signature::sign( 'whsec_***not base64***', 'msg_abc', 1700000000, self::BODY );
			$this->fail( 'A malformed secret must be refused.' );
		} catch ( SignatureError $e ) {
			$this->assertSame( 401, $e->status() );
			$this->assertStringNotContainsString( 'not base64', $e->getMessage() );
		}
	}
}
