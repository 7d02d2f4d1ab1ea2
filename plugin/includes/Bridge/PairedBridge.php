<?php
/**
 * What the site knows about the bridge it paired with.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Bridge;

use PulseSync\HttpError;
use PulseSync\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * The paired bridge's URL (which the plugin trusts, even on a private address, because the
 * owner's pairing code vouched for it), its version, when it paired and when it was last seen.
 *
 * @since 0.2.0
 */
class PairedBridge {

	public const PAIRING_OPTION   = 'pulse_sync_bridge_pairing';
	public const LAST_SEEN_OPTION = 'pulse_sync_bridge_last_seen';

	/**
	 * The header the bridge sends its version in on signed requests.
	 *
	 * @since 0.2.0
	 */
	public const VERSION_HEADER = 'x-pulse-sync-bridge-version';

	/**
	 * "Last seen" is written at most this often, so signed traffic costs no option write a request.
	 *
	 * @since 0.2.0
	 */
	private const LAST_SEEN_RESOLUTION_SECONDS = 60;

	/**
	 * Records a pairing: the bridge URL becomes the `bridge_url` setting and the trusted URL.
	 *
	 * @since 0.2.0
	 *
	 * @param string      $url     Bridge URL, already validated.
	 * @param string|null $version The bridge's version, if it said.
	 * @param int         $now     Unix seconds.
	 * @return void
	 * @throws HttpError When the URL or the settings refuse it.
	 */
	public static function record_pairing( string $url, ?string $version, int $now ): void {
		// Trusted first: the setting's own check refuses a private address that pairing did not set.
		$url = BridgeUrl::trust_paired( $url );
		if ( is_wp_error( $url ) ) {
			throw new HttpError( 400, 'pulse_sync_invalid_pairing_request', $url->get_error_message() );
		}
		Settings::update( array( 'bridge_url' => $url ) );
		update_option(
			self::PAIRING_OPTION,
			array(
				'version'   => self::clean_version( $version ),
				'paired_at' => $now,
			)
		);
	}

	/**
	 * Records that the bridge made a signed request, at most one write a minute (or when its
	 * version changes).
	 *
	 * @since 0.2.0
	 *
	 * @param string|null $version The `x-pulse-sync-bridge-version` header.
	 * @param int         $now     Unix seconds.
	 * @return void
	 */
	public static function record_seen( ?string $version, int $now ): void {
		$version = self::clean_version( $version );
		$seen    = self::last_seen();
		if ( null !== $seen ) {
			$version = $version ?? $seen['version'];
			if ( $now - $seen['at'] < self::LAST_SEEN_RESOLUTION_SECONDS && $version === $seen['version'] ) {
				return;
			}
		}
		update_option(
			self::LAST_SEEN_OPTION,
			array(
				'version' => $version,
				'at'      => $now,
			)
		);
	}

	/**
	 * The trusted URL set by pairing ('' when no bridge paired).
	 *
	 * @since 0.2.0
	 *
	 * @return string
	 */
	public static function url(): string {
		return (string) get_option( BridgeUrl::PAIRED_OPTION, '' );
	}

	/**
	 * The paired state for the Status screen.
	 *
	 * @since 0.2.0
	 *
	 * @param string|null $reported_version The version the bridge's `/v1/status` gave, if it answered.
	 * @return array{paired:bool,bridge_url:string|null,version:string|null,paired_at:string|null,last_seen_at:string|null,previous_secret_valid_until:string|null}
	 */
	public static function summary( ?string $reported_version ): array {
		$url     = self::url();
		$pairing = get_option( self::PAIRING_OPTION, null );
		$pairing = is_array( $pairing ) ? $pairing : array();
		$seen    = self::last_seen();
		return array(
			// Paired means the configured bridge is the one that paired: a URL typed in later is not.
			'paired'                      => '' !== $url && Settings::get( 'bridge_url' ) === $url,
			'bridge_url'                  => '' === $url ? null : $url,
			'version'                     => self::clean_version( $reported_version ) ?? $seen['version'] ?? self::clean_version( $pairing['version'] ?? null ),
			'paired_at'                   => self::iso( isset( $pairing['paired_at'] ) ? (int) $pairing['paired_at'] : null ),
			'last_seen_at'                => self::iso( null === $seen ? null : $seen['at'] ),
			'previous_secret_valid_until' => self::iso( Pairing::previous_valid_until() ),
		);
	}

	/**
	 * The last-seen record.
	 *
	 * @since 0.2.0
	 *
	 * @return array{version:string|null,at:int}|null
	 */
	private static function last_seen(): ?array {
		$stored = get_option( self::LAST_SEEN_OPTION, null );
		if ( ! is_array( $stored ) || ! isset( $stored['at'] ) ) {
			return null;
		}
		return array(
			'version' => self::clean_version( $stored['version'] ?? null ),
			'at'      => (int) $stored['at'],
		);
	}

	/**
	 * A version string as the bridge may send it (`0.2.0`, `1.0.0-rc.1+abc`), else null.
	 *
	 * @since 0.2.0
	 *
	 * @param mixed $version Raw value.
	 * @return string|null
	 */
	private static function clean_version( $version ): ?string {
		return is_string( $version ) && 1 === preg_match( '/^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/', $version ) ? $version : null;
	}

	/**
	 * ISO-8601 UTC of a unix time.
	 *
	 * @since 0.2.0
	 *
	 * @param int|null $time Unix seconds.
	 * @return string|null
	 */
	private static function iso( ?int $time ): ?string {
		return null === $time ? null : gmdate( 'Y-m-d\TH:i:s\Z', $time );
	}
}
