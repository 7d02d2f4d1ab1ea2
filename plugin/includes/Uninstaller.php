<?php
/**
 * Removes the plugin's data.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync;

use PulseSync\Bridge\Pairing;
use PulseSync\Support\Throttle;
use PulseSync\Users\Upserter;
use PulseSync\Users\UserLookup;
use PulseSync\Webhook\Spool;

defined( 'ABSPATH' ) || exit;

/**
 * Deletes options, transients, the spool, throttle and user lookup tables, the cron event
 * and the plugin's private user meta.
 *
 * The `pulsetech_contact_id` and `pulsetech_tags` user meta stay: other plugins
 * for this CRM use the same keys, and a site moving to or from one of them keeps
 * its links between users and contacts.
 *
 * @since 0.1.0
 */
class Uninstaller {

	/**
	 * Uninstalls on this site, or on every site of a network.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function uninstall(): void {
		if ( ! is_multisite() ) {
			self::uninstall_site();
		} else {
			foreach ( get_sites( array( 'fields' => 'ids' ) ) as $site_id ) {
				switch_to_blog( (int) $site_id );
				self::uninstall_site();
				restore_current_blog();
			}
		}
		// Global like usermeta, so dropped once, after the meta it indexes is deleted.
		UserLookup::drop_table();
	}

	/**
	 * Uninstalls on the current site.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	private static function uninstall_site(): void {
		global $wpdb;
		Spool::unschedule();
		$options = array(
			AccessKey::OPTION,
			Pairing::SECRET_OPTION,
			Settings::OPTION,
			Settings::CLIENT_SECRET_OPTION,
			Settings::REV_OPTION,
			Activator::DB_VERSION_OPTION,
		);
		foreach ( $options as $option ) {
			delete_option( $option );
		}
		$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_pulse\\_sync\\_%' OR option_name LIKE '\\_transient\\_timeout\\_pulse\\_sync\\_%'" );
		Spool::drop_table();
		Throttle::drop_table();
		foreach ( array( Upserter::CREATED_BY_META, Upserter::PASSWORD_USED_META ) as $meta_key ) {
			delete_metadata( 'user', 0, $meta_key, '', true );
		}
	}
}
