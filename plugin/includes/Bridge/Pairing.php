<?php
/**
 * What the bridge needs to know to pair with this site.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Bridge;

defined( 'ABSPATH' ) || exit;

/**
 * The shared secret and the environment the bridge is started with.
 *
 * @since 0.1.0
 */
class Pairing {

	public const SECRET_OPTION = 'pulse_sync_bridge_secret';

	/**
	 * A new Standard Webhooks secret: `whsec_` + base64 of 32 random bytes.
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public static function generate_secret(): string {
		return 'whsec_' . base64_encode( random_bytes( 32 ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the Standard Webhooks secret format.
	}

	/**
	 * The shared secret ('' before activation).
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public static function secret(): string {
		return (string) get_option( self::SECRET_OPTION, '' );
	}

	/**
	 * The secrets requests are signed with and verified against: the current one first, then
	 * the previous one while its overlap lasts (none yet: pairing rotation adds it).
	 *
	 * @since 0.2.0
	 *
	 * @return string[]
	 */
	public static function active_secrets(): array {
		$secret = self::secret();
		return '' === $secret ? array() : array( $secret );
	}

	/**
	 * The environment variables the bridge is started with.
	 *
	 * @since 0.1.0
	 *
	 * @return array{PULSE_SYNC_SITE_URL:string,PULSE_SYNC_BRIDGE_SECRET:string}
	 */
	public static function bridge_env(): array {
		return array(
			'PULSE_SYNC_SITE_URL'      => untrailingslashit( home_url() ),
			'PULSE_SYNC_BRIDGE_SECRET' => self::secret(),
		);
	}
}
