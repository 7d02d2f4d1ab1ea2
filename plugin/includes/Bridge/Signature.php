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
 * HMAC-SHA256 over "{id}.{timestamp}.{body}", as https://www.standardwebhooks.com specifies,
 * so the Node side can use the `standardwebhooks` package unchanged.
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
	 * Signs a message.
	 *
	 * @since 0.1.0
	 *
	 * @param string $secret    `whsec_…` secret.
	 * @param string $id        Message id (`webhook-id`).
	 * @param int    $timestamp Unix seconds (`webhook-timestamp`).
	 * @param string $body      Raw body ('' for GET).
	 * @return string The `webhook-signature` header value.
	 * @throws SignatureError When the secret is malformed.
	 */
	public static function sign( string $secret, string $id, int $timestamp, string $body ): string {
		return self::VERSION . ',' . self::digest( self::key( $secret ), $id, (string) $timestamp, $body );
	}

	/**
	 * Builds the three signing headers for a message.
	 *
	 * @since 0.1.0
	 *
	 * @param string $secret `whsec_…` secret.
	 * @param string $id     Message id.
	 * @param string $body   Raw body.
	 * @param int    $now    Unix seconds.
	 * @return array<string,string>
	 * @throws SignatureError When the secret is malformed.
	 */
	public static function headers( string $secret, string $id, string $body, int $now ): array {
		return array(
			'webhook-id'        => $id,
			'webhook-timestamp' => (string) $now,
			'webhook-signature' => self::sign( $secret, $id, $now, $body ),
		);
	}

	/**
	 * Verifies a message; several space-separated signatures are allowed so a
	 * secret can be rotated without downtime.
	 *
	 * @since 0.1.0
	 *
	 * @param string      $secret    `whsec_…` secret.
	 * @param string|null $id        `webhook-id` header.
	 * @param string|null $timestamp `webhook-timestamp` header.
	 * @param string|null $signature `webhook-signature` header.
	 * @param string      $body      Raw body.
	 * @param int         $now       Unix seconds.
	 * @return void
	 * @throws SignatureError When anything is missing, stale or does not match.
	 */
	public static function verify( string $secret, ?string $id, ?string $timestamp, ?string $signature, string $body, int $now ): void {
		if ( null === $id || '' === $id || null === $timestamp || null === $signature || '' === $signature ) {
			throw new SignatureError( 'Missing webhook-id, webhook-timestamp or webhook-signature header.' );
		}
		if ( 1 !== preg_match( '/^\d{1,12}$/', $timestamp ) ) {
			throw new SignatureError( 'Invalid webhook-timestamp header.' );
		}
		if ( abs( $now - (int) $timestamp ) > self::TOLERANCE_IN_SECONDS ) {
			throw new SignatureError( 'The webhook-timestamp is too far from the current time.' );
		}
		$expected = self::digest( self::key( $secret ), $id, $timestamp, $body );
		foreach ( explode( ' ', $signature ) as $versioned ) {
			$parts = explode( ',', $versioned, 2 );
			if ( 2 === count( $parts ) && self::VERSION === $parts[0] && hash_equals( $expected, $parts[1] ) ) {
				return;
			}
		}
		throw new SignatureError( 'No matching signature.' );
	}

	/**
	 * The HMAC key: the base64-decoded part of the secret.
	 *
	 * @since 0.1.0
	 *
	 * @param string $secret `whsec_…` secret.
	 * @return string
	 * @throws SignatureError When the secret is malformed.
	 */
	private static function key( string $secret ): string {
		$encoded = str_starts_with( $secret, self::SECRET_PREFIX ) ? substr( $secret, strlen( self::SECRET_PREFIX ) ) : $secret;
		$key     = base64_decode( $encoded, true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- the Standard Webhooks secret format.
		if ( false === $key || '' === $key ) {
			throw new SignatureError( 'The bridge secret is not configured correctly.' );
		}
		return $key;
	}

	/**
	 * Base64 HMAC-SHA256 of "{id}.{timestamp}.{body}".
	 *
	 * @since 0.1.0
	 *
	 * @param string $key       HMAC key.
	 * @param string $id        Message id.
	 * @param string $timestamp Unix seconds as sent.
	 * @param string $body      Raw body.
	 * @return string
	 */
	private static function digest( string $key, string $id, string $timestamp, string $body ): string {
		return base64_encode( hash_hmac( 'sha256', $id . '.' . $timestamp . '.' . $body, $key, true ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the Standard Webhooks signature format.
	}
}
