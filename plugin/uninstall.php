<?php
/**
 * Runs when the plugin is deleted from wp-admin.
 *
 * Asks each site's bridge to delete the CRM tokens it holds (best effort, a few seconds at most),
 * then deletes the plugin's options, transients, spool and user lookup tables and private user
 * meta, on every site of a network. Keeps the `pulsetech_contact_id` and `pulsetech_tags` user meta, which other
 * plugins for this CRM share (see includes/Uninstaller.php).
 *
 * @package PulseSync
 * @since   0.1.0
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;
defined( 'ABSPATH' ) || exit;

if ( ! defined( 'PULSE_SYNC_VERSION' ) ) {
	require_once __DIR__ . '/pulse-sync.php';
}

\PulseSync\Uninstaller::uninstall();
