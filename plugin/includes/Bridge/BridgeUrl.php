<?php
/**
 * The one rule for the bridge URL, and which bridge URLs the site trusts.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Bridge;

defined( 'ABSPATH' ) || exit;

/**
 * Owns the bridge-URL rule (docs/architecture.md, "Bridge URL rules"): `https://` any host, or
 * `http://` only for loopback (127.0.0.0/8, ::1, localhost); no user info, query or fragment; a
 * path is allowed.
 *
 * A bridge URL is trusted when it is loopback or when pairing set it (the
 * `pulse_sync_bridge_paired_url` option): only a trusted URL may reach a private address. Any
 * other URL is requested through `wp_safe_remote_request` and only after every address its host
 * resolves to proved public ({@see self::destination_error()}), because WordPress's own check lets
 * link-local addresses such as the cloud metadata endpoint 169.254.169.254 through.
 *
 * @since 0.2.0
 */
class BridgeUrl {

	/**
	 * The bridge URL the last pairing set; trusted even when it is a private address.
	 *
	 * @since 0.2.0
	 */
	public const PAIRED_OPTION = 'pulse_sync_bridge_paired_url';

	/**
	 * Validates and normalises a bridge URL (trailing slash removed).
	 *
	 * Pairing calls this for the `bridge_url` a bridge announces; settings call
	 * {@see self::validate_setting()}, which adds the address check for URLs set by hand.
	 *
	 * @since 0.2.0
	 *
	 * @param string $url Raw URL.
	 * @return string|\WP_Error The clean URL, or `pulse_sync_invalid_bridge_url`.
	 */
	public static function validate( string $url ) {
		$url = trim( $url );
		if ( '' === $url || strlen( $url ) > 2048 || 1 === preg_match( '/[^\x21-\x7e]/', $url ) ) {
			return self::error( __( 'The bridge URL must be a single line of printable characters.', 'pulse-sync' ) );
		}
		if ( false !== strpbrk( $url, '?#' ) ) {
			return self::error( __( 'The bridge URL must not have a query string or a fragment.', 'pulse-sync' ) );
		}
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) || ! isset( $parts['scheme'] ) ) {
			return self::error( __( 'The bridge URL must be an absolute http(s) URL.', 'pulse-sync' ) );
		}
		if ( isset( $parts['user'] ) || isset( $parts['pass'] ) || str_contains( (string) strtok( substr( $url, strlen( $parts['scheme'] ) + 3 ), '/' ), '@' ) ) {
			return self::error( __( 'The bridge URL must not contain a user name or password.', 'pulse-sync' ) );
		}
		$scheme = strtolower( $parts['scheme'] );
		if ( 'https' !== $scheme && ( 'http' !== $scheme || ! ( self::is_loopback( $url ) || self::allows_plain_http() ) ) ) {
			return self::error( __( 'The bridge URL must use https://, or http:// on this machine (127.0.0.1, ::1 or localhost).', 'pulse-sync' ) );
		}
		if ( esc_url_raw( $url ) !== $url ) {
			return self::error( __( 'The bridge URL has characters that are not allowed in a URL.', 'pulse-sync' ) );
		}
		return untrailingslashit( $url );
	}

	/**
	 * Whether a plain `http://` bridge on another host is allowed: only where the site says so
	 * with the constant `PULSE_SYNC_ALLOW_HTTP_BRIDGE` (wp-env's `.wp-env.json` defines it: its
	 * bridge runs on the Docker host, reached as `http://host.docker.internal:8787`), never by
	 * default.
	 *
	 * Filter `pulse_sync_allow_http_bridge` (default: the constant, else false):
	 *
	 *     add_filter( 'pulse_sync_allow_http_bridge', '__return_true' ); // a trusted private network
	 *
	 * @since 0.2.0
	 *
	 * @return bool
	 */
	private static function allows_plain_http(): bool {
		/**
		 * Filters whether a bridge may be reached over plain http:// on another host.
		 *
		 * @since 0.2.0
		 *
		 * @param bool $allowed Default: the constant PULSE_SYNC_ALLOW_HTTP_BRIDGE, else false.
		 */
		return (bool) apply_filters( 'pulse_sync_allow_http_bridge', defined( 'PULSE_SYNC_ALLOW_HTTP_BRIDGE' ) && PULSE_SYNC_ALLOW_HTTP_BRIDGE );
	}

	/**
	 * Validates a bridge URL the owner enters: the rule, and a URL that is neither loopback nor
	 * the paired bridge's must reach only public addresses.
	 *
	 * @since 0.2.0
	 *
	 * @param string $url Raw URL.
	 * @return string|\WP_Error The clean URL, or `pulse_sync_invalid_bridge_url`.
	 */
	public static function validate_setting( string $url ) {
		$clean = self::validate( $url );
		if ( is_wp_error( $clean ) || self::is_trusted( $clean ) ) {
			return $clean;
		}
		return self::destination_error( $clean ) ?? $clean;
	}

	/**
	 * Whether the URL's host is loopback: 127.0.0.0/8, ::1 or `localhost`.
	 *
	 * @since 0.2.0
	 *
	 * @param string $url A URL.
	 * @return bool
	 */
	public static function is_loopback( string $url ): bool {
		$host = self::host( $url );
		if ( 'localhost' === $host ) {
			return true;
		}
		if ( false !== filter_var( $host, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4 ) ) {
			return str_starts_with( $host, '127.' );
		}
		return false !== filter_var( $host, FILTER_VALIDATE_IP, FILTER_FLAG_IPV6 ) && inet_pton( $host ) === inet_pton( '::1' );
	}

	/**
	 * Whether the site trusts this bridge URL: loopback, or the one the last pairing set.
	 *
	 * @since 0.2.0
	 *
	 * @param string $url A bridge URL.
	 * @return bool
	 */
	public static function is_trusted( string $url ): bool {
		if ( self::is_loopback( $url ) ) {
			return true;
		}
		$paired = (string) get_option( self::PAIRED_OPTION, '' );
		return '' !== $paired && untrailingslashit( $url ) === $paired;
	}

	/**
	 * Records the URL a pairing bridge announced as trusted (it may be a private address).
	 *
	 * The pairing exchange calls this, then stores the same URL as the `bridge_url` setting.
	 *
	 * @since 0.2.0
	 *
	 * @param string $url The bridge's URL.
	 * @return string|\WP_Error The clean URL now trusted, or the validation error (nothing stored).
	 */
	public static function trust_paired( string $url ) {
		$clean = self::validate( $url );
		if ( is_wp_error( $clean ) ) {
			return $clean;
		}
		if ( false === get_option( self::PAIRED_OPTION ) ) {
			add_option( self::PAIRED_OPTION, $clean, '', false );
		} else {
			update_option( self::PAIRED_OPTION, $clean, false );
		}
		return $clean;
	}

	/**
	 * Why a request to this untrusted URL must not be sent, or null when every address its host
	 * resolves to is public (not private, loopback, link-local, reserved or shared).
	 *
	 * Also refuses a host that does not resolve, and numeric spellings such as `2852039166`
	 * (169.254.169.254), which resolve like any name.
	 *
	 * @since 0.2.0
	 *
	 * @param string $url A bridge URL.
	 * @return \WP_Error|null
	 */
	public static function destination_error( string $url ): ?\WP_Error {
		foreach ( self::addresses( self::host( $url ) ) as $address ) {
			if ( false === filter_var( $address, FILTER_VALIDATE_IP, FILTER_FLAG_GLOBAL_RANGE ) ) {
				return self::error( __( 'The bridge URL points at a private or reserved address. Use a loopback URL, or pair the bridge so the site trusts its URL.', 'pulse-sync' ) );
			}
			$resolved = true;
		}
		if ( ! isset( $resolved ) ) {
			return self::error( __( 'The bridge URL\'s host does not resolve to an address.', 'pulse-sync' ) );
		}
		return null;
	}

	/**
	 * The host of a URL, lower case, without IPv6 brackets or a trailing dot.
	 *
	 * @since 0.2.0
	 *
	 * @param string $url A URL.
	 * @return string '' when there is none.
	 */
	private static function host( string $url ): string {
		$host = strtolower( (string) wp_parse_url( $url, PHP_URL_HOST ) );
		return rtrim( trim( $host, '[]' ), '.' );
	}

	/**
	 * The addresses a host resolves to (the host itself when it is an IP literal).
	 *
	 * @since 0.2.0
	 *
	 * @param string $host Host name or IP literal.
	 * @return string[]
	 */
	private static function addresses( string $host ): array {
		if ( '' === $host ) {
			return array();
		}
		if ( false !== filter_var( $host, FILTER_VALIDATE_IP ) ) {
			return array( $host );
		}
		$addresses = gethostbynamel( $host );
		$addresses = is_array( $addresses ) ? $addresses : array();
		// gethostbynamel() knows IPv4 only; an AAAA record could point elsewhere.
		$records = @dns_get_record( $host, DNS_AAAA ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- a failed lookup is "no record".
		foreach ( is_array( $records ) ? $records : array() as $record ) {
			if ( isset( $record['ipv6'] ) ) {
				$addresses[] = (string) $record['ipv6'];
			}
		}
		return $addresses;
	}

	/**
	 * The validation error.
	 *
	 * @since 0.2.0
	 *
	 * @param string $message Why the URL is refused.
	 * @return \WP_Error
	 */
	private static function error( string $message ): \WP_Error {
		return new \WP_Error( 'pulse_sync_invalid_bridge_url', $message, array( 'status' => 400 ) );
	}
}
