<?php
/**
 * Removes the plugin's data.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync;

use PulseSync\Bridge\BridgeUnavailable;
use PulseSync\Bridge\BridgeUrl;
use PulseSync\Bridge\Client;
use PulseSync\Bridge\PairedBridge;
use PulseSync\Bridge\Pairing;
use PulseSync\Bridge\PairingCode;
use PulseSync\Bridge\SeenMessages;
use PulseSync\Settings\ClientSecret;
use PulseSync\Settings\Revision;
use PulseSync\Support\Sites;
use PulseSync\Support\Throttle;
use PulseSync\Users\Upserter;
use PulseSync\Users\UserLookup;
use PulseSync\Webhook\Spool;

defined( 'ABSPATH' ) || exit;

/**
 * Deletes options, transients, the spool, seen webhook-ids, throttle and user lookup tables, the
 * cron event and the plugin's private user meta, on every site of a network however large.
 * First it asks each site's bridge to delete the CRM tokens it holds (the CRM API has no
 * revoke endpoint), best effort and within a time budget, while the secret still signs.
 *
 * The `pulsetech_contact_id` and `pulsetech_tags` user meta stay: other plugins
 * for this CRM use the same keys, and a site moving to or from one of them keeps
 * its links between users and contacts.
 *
 * @since 0.1.0
 */
class Uninstaller {

	/**
	 * How long one site's bridge may take to delete its CRM tokens.
	 *
	 * @since 0.2.0
	 */
	private const REVOKE_TIMEOUT_SECONDS = 3.0;

	/**
	 * Uninstalls on this site, or on every site of a network.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function uninstall(): void {
		/**
		 * Filters how long uninstalling may wait, in total over every site, for bridges to
		 * delete their CRM tokens; once spent, the remaining sites are uninstalled without
		 * asking their bridge.
		 *
		 * Example: `add_filter( 'pulse_sync_uninstall_revoke_budget', fn() => 30.0 );`
		 *
		 * @since 0.2.0
		 *
		 * @param float $seconds Default 10.
		 */
		$deadline = microtime( true ) + (float) apply_filters( 'pulse_sync_uninstall_revoke_budget', 10.0 );
		if ( ! is_multisite() ) {
			self::uninstall_site( $deadline );
		} else {
			foreach ( Sites::ids() as $site_id ) {
				switch_to_blog( $site_id );
				self::uninstall_site( $deadline );
				restore_current_blog();
			}
		}
		// Global like usermeta, so dropped once, after the meta it indexes is deleted.
		UserLookup::drop_table();
	}

	/**
	 * Asks the current site's bridge to delete the CRM tokens it holds: a signed
	 * `POST /v1/crm/disconnect`, so it must run before the secret is deleted.
	 *
	 * @since 0.2.0
	 *
	 * @param float $deadline Unix time (microtime) after which no bridge is asked.
	 * @return void
	 */
	private static function revoke_crm_tokens( float $deadline ): void {
		$left = $deadline - microtime( true );
		if ( '' === Pairing::secret() || $left <= 0 ) {
			return;
		}
		try {
			Client::from_settings()->post( '/v1/crm/disconnect', array(), min( self::REVOKE_TIMEOUT_SECONDS, $left ) );
		} catch ( BridgeUnavailable $e ) {
			// Best effort: a bridge that is away keeps its tokens until its data is removed.
			unset( $e );
		}
	}

	/**
	 * Uninstalls on the current site.
	 *
	 * @since 0.1.0
	 *
	 * @param float $deadline See {@see self::revoke_crm_tokens()}.
	 * @return void
	 */
	private static function uninstall_site( float $deadline ): void {
		global $wpdb;
		self::revoke_crm_tokens( $deadline );
		Spool::unschedule();
		$options = array(
			AccessKey::OPTION,
			Pairing::SECRET_OPTION,
			BridgeUrl::PAIRED_OPTION,
			Pairing::PREVIOUS_SECRET_OPTION,
			PairingCode::OPTION,
			PairedBridge::PAIRING_OPTION,
			PairedBridge::LAST_SEEN_OPTION,
			Settings::OPTION,
			ClientSecret::OPTION,
			Revision::OPTION,
			Activator::DB_VERSION_OPTION,
		);
		foreach ( $options as $option ) {
			delete_option( $option );
		}
		$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_pulse\\_sync\\_%' OR option_name LIKE '\\_transient\\_timeout\\_pulse\\_sync\\_%'" );
		Spool::drop_table();
		SeenMessages::drop_table();
		Throttle::drop_table();
		foreach ( array( Upserter::CREATED_BY_META, Upserter::PASSWORD_USED_META ) as $meta_key ) {
			delete_metadata( 'user', 0, $meta_key, '', true );
		}
	}
}
