<?php
/**
 * The settings revision the bridge caches its copy of the settings by.
 *
 * @package PulseSync
 * @since   0.3.0
 */

namespace PulseSync\Settings;

use PulseSync\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * An integer sent with every call to the bridge (`x-pulse-sync-settings-rev`); the bridge reloads
 * `GET /bridge/settings` when it differs from the one it holds.
 *
 * @since 0.3.0
 */
class Revision {

	public const OPTION = 'pulse_sync_settings_rev';

	/**
	 * The current settings revision.
	 *
	 * @since 0.1.0
	 *
	 * @return int
	 */
	public static function current(): int {
		return (int) get_option( self::OPTION, 1 );
	}

	/**
	 * Bumps the settings revision so the bridge reloads its cached copy.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function bump(): void {
		update_option( self::OPTION, self::current() + 1 );
	}

	/**
	 * Registers the option hooks that bump the revision on every change of the settings or the
	 * client secret, whoever makes it (the panel, WP-CLI, another plugin).
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function register_hooks(): void {
		foreach ( array( Settings::OPTION, ClientSecret::OPTION ) as $option ) {
			add_action( 'add_option_' . $option, array( self::class, 'bump' ) );
			add_action( 'update_option_' . $option, array( self::class, 'bump' ) );
			add_action( 'delete_option_' . $option, array( self::class, 'bump' ) );
		}
	}
}
