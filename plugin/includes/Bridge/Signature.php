<?php
/**
 * Standard Webhooks signing and verification.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Bridge;

defined( 'ABSPATH' ) || exit;

/**
 * Standard Webhooks headers with HMAC-SHA256 over "{id}.{timestamp}.{content}", as
 * https://www.standardwebhooks.com specifies, where the content binds direction, method, path,
 * query and body (SignedRequest::content()) and the key is derived per direction from each
 * secret. The Node side signs the same with the `standardwebhooks` package. Replays of an id are
 * refused by SeenMessages, not here.
 *
 * @since 0.1.0
 */
class Signature {

	/**
	 * How far a timestamp may be from our clock, either way (Standard Webhooks default).
	 *
	 * @since 0.1.0
	 */
	public const TOLERANCE_IN_SECONDS = 300;

	private const SECRET_PREFIX = 'whsec_';
	private const VERSION       = 'v1';

	/**
	 * Two during a rotation; a few more leave room for other schemes, dozens are an attack.
	 */
	private const MAX_SIGNATURES = 8;

	/**
	 * Signs a message: one `v1,…` per secret, space-separated.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Takes the list of secrets, the direction and the request.
	 *
	 * @param string[]      $secrets   `whsec_…` secrets, current first.
	 * @param string        $direction SignedRequest::PLUGIN_TO_BRIDGE or ::BRIDGE_TO_PLUGIN.
	 * @param SignedRequest $request   The request exactly as it will be sent.
	 * @param string        $id        Message id (`webhook-id`).
	 * @param int           $timestamp Unix seconds (`webhook-timestamp`).
	 * @return string The `webhook-signature` header value.
	 * @throws SignatureError When there is no secret or one is malformed.
	 */
	public static function sign( array $secrets, string $direction, SignedRequest $request, string $id, int $timestamp ): string {
		if ( array() === $secrets ) {
			throw new SignatureError( __( 'The bridge secret is not configured.', 'pulse-sync' ) );
		}
		$content    = $request->content( $direction );
		$signatures = array();
		foreach ( $secrets as $secret ) {
			$signatures[] = self::VERSION . ',' . self::digest( self::key( $secret, $direction ), $id, (string) $timestamp, $content );
		}
		return implode( ' ', $signatures );
	}

	/**
	 * Builds the three signing headers for a message.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Takes the list of secrets, the direction and the request.
	 *
	 * @param string[]      $secrets   `whsec_…` secrets, current first.
	 * @param string        $direction Direction.
	 * @param SignedRequest $request   The request.
	 * @param string        $id        Message id.
	 * @param int           $now       Unix seconds.
	 * @return array<string,string>
	 * @throws SignatureError When there is no secret or one is malformed.
	 */
	public static function headers( array $secrets, string $direction, SignedRequest $request, string $id, int $now ): array {
		return array(
			'webhook-id'        => $id,
			'webhook-timestamp' => (string) $now,
			'webhook-signature' => self::sign( $secrets, $direction, $request, $id, $now ),
		);
	}

	/**
	 * Verifies a message: a match with any of the secrets, and any of the signatures, passes.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 Takes the list of secrets, the direction and the request; returns the timestamp.
	 *
	 * @param string[]      $secrets   `whsec_…` secrets, current first.
	 * @param string        $direction The direction the request was sent in.
	 * @param SignedRequest $request   The request as received.
	 * @param string|null   $id        `webhook-id` header.
	 * @param string|null   $timestamp `webhook-timestamp` header.
	 * @param string|null   $signature `webhook-signature` header.
	 * @param int           $now       Unix seconds.
	 * @return int The verified timestamp.
	 * @throws SignatureError When anything is missing, malformed, stale or does not match.
	 */
	public static function verify( array $secrets, string $direction, SignedRequest $request, ?string $id, ?string $timestamp, ?string $signature, int $now ): int {
		if ( null === $id || '' === $id || null === $timestamp || null === $signature || '' === $signature ) {
			throw new SignatureError( 'Missing webhook-id, webhook-timestamp or webhook-signature header.' );
		}
		if ( 1 !== preg_match( '/^[A-Za-z0-9_-]{1,64}$/', $id ) ) {
			throw new SignatureError( 'Invalid webhook-id header.' );
		}
		if ( 1 !== preg_match( '/^\d{1,12}$/', $timestamp ) ) {
			throw new SignatureError( 'Invalid webhook-timestamp header.' );
		}
		if ( abs( $now - (int) $timestamp ) > self::TOLERANCE_IN_SECONDS ) {
			throw new SignatureError( 'The webhook-timestamp is too far from the current time.' );
		}
		$given = self::v1_signatures( $signature );
		if ( array() === $secrets ) {
			throw new SignatureError( __( 'The bridge secret is not configured.', 'pulse-sync' ) );
		}
		$content = $request->content( $direction );
		foreach ( $secrets as $secret ) {
			$expected = self::digest( self::key( $secret, $direction ), $id, $timestamp, $content );
			foreach ( $given as $candidate ) {
				if ( hash_equals( $expected, $candidate ) ) {
					return (int) $timestamp;
				}
			}
		}
		throw new SignatureError( 'No matching signature.' );
	}

	/**
	 * The base64 parts of the `v1,…` signatures of a well-formed header.
	 *
	 * @since 0.2.0
	 *
	 * @param string $header `webhook-signature` header.
	 * @return string[]
	 * @throws SignatureError When the header is malformed or holds no v1 signature.
	 */
	private static function v1_signatures( string $header ): array {
		$parts = explode( ' ', $header );
		if ( count( $parts ) > self::MAX_SIGNATURES ) {
			throw new SignatureError( 'Invalid webhook-signature header.' );
		}
		$found = array();
		foreach ( $parts as $part ) {
			if ( 1 !== preg_match( '#^(v\d+[a-z]*),([A-Za-z0-9+/]+={0,2})$#', $part, $match ) ) {
				throw new SignatureError( 'Invalid webhook-signature header.' );
			}
			if ( self::VERSION === $match[1] ) {
				$found[] = $match[2];
			}
		}
		if ( array() === $found ) {
			throw new SignatureError( 'No v1 signature.' );
		}
		return $found;
	}

	/**
	 * The HMAC key of one direction: HMAC-SHA256(the secret's bytes, "pulse-sync/<direction>"),
	 * so a signature made in one direction never verifies in the other.
	 *
	 * @since 0.1.0
	 * @since 0.2.0 One key per direction.
	 *
	 * @param string $secret    `whsec_…` secret.
	 * @param string $direction Direction.
	 * @return string
	 * @throws SignatureError When the secret is malformed.
	 */
	private static function key( string $secret, string $direction ): string {
		$encoded = str_starts_with( $secret, self::SECRET_PREFIX ) ? substr( $secret, strlen( self::SECRET_PREFIX ) ) : $secret;
		$master  = base64_decode( $encoded, true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- the Standard Webhooks secret format.
		if ( false === $master || '' === $master ) {
			throw new SignatureError( 'The bridge secret is not configured correctly.' );
		}
		return hash_hmac( 'sha256', 'pulse-sync/' . $direction, $master, true );
	}

	/**
	 * Base64 HMAC-SHA256 of "{id}.{timestamp}.{content}".
	 *
	 * @since 0.1.0
	 *
	 * @param string $key       HMAC key.
	 * @param string $id        Message id.
	 * @param string $timestamp Unix seconds as sent.
	 * @param string $content   SignedRequest::content().
	 * @return string
	 */
	private static function digest( string $key, string $id, string $timestamp, string $content ): string {
		return base64_encode( hash_hmac( 'sha256', $id . '.' . $timestamp . '.' . $content, $key, true ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the Standard Webhooks signature format.
	}
}
