<?php
/**
 * Plugin Name:       Pulse Sync
 * Plugin URI:        https://github.com/pulse-sync/pulse-sync
 * Description:       Turns PulseTechnologyCRM webhooks into WordPress user accounts, with a durable bridge queue.
 * Version:           0.2.0
 * Requires at least: 6.1
 * Requires PHP:      8.2
 * Author:            Pulse Sync contributors
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       pulse-sync
 * Domain Path:       /languages
 *
 * @package PulseSync
 */

defined( 'ABSPATH' ) || exit;

define( 'PULSE_SYNC_VERSION', '0.2.0' );
define( 'PULSE_SYNC_FILE', __FILE__ );
define( 'PULSE_SYNC_DIR', __DIR__ . '/' );

/*
 * Composer is not needed at runtime: classes in the PulseSync namespace live
 * in includes/, one class per file, path = namespace.
 */
spl_autoload_register(
	static function ( string $class_name ): void {
		$prefix = 'PulseSync\\';
		if ( 0 !== strncmp( $class_name, $prefix, strlen( $prefix ) ) ) {
			return;
		}
		$relative = str_replace( '\\', '/', substr( $class_name, strlen( $prefix ) ) );
		$file     = PULSE_SYNC_DIR . 'includes/' . $relative . '.php';
		if ( is_readable( $file ) ) {
			require_once $file;
		}
	}
);

register_activation_hook( PULSE_SYNC_FILE, array( \PulseSync\Activator::class, 'activate' ) );
register_deactivation_hook( PULSE_SYNC_FILE, array( \PulseSync\Activator::class, 'deactivate' ) );

// uninstall.php and the lean webhook endpoint (webhook.php) load this file for the autoloader only.
if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) && ! defined( 'PULSE_SYNC_LEAN_WEBHOOK' ) ) {
	\PulseSync\Plugin::boot();
}
