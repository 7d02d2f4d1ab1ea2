<?php
/**
 * Activation, deactivation and schema upgrades.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync;

use PulseSync\Bridge\Pairing;
use PulseSync\Bridge\SeenMessages;
use PulseSync\Settings\Revision;
use PulseSync\Support\Throttle;
use PulseSync\Users\UserLookup;
use PulseSync\Webhook\Spool;

defined( 'ABSPATH' ) || exit;

/**
 * Creates what the plugin needs to run: secrets, default settings, the spool, throttle and
 * user lookup tables, the cron event.
 *
 * @since 0.1.0
 */
class Activator {

	public const DB_VERSION_OPTION = 'pulse_sync_db_version';

	/**
	 * Bumped whenever a table's schema changes (2: the user lookup table; 3: the seen
	 * webhook-ids table; 4: the failure throttle table).
	 *
	 * @since 0.1.0
	 */
	public const DB_VERSION = 4;

	/**
	 * Activation hook.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function activate(): void {
		self::install();
		Spool::schedule();
	}

	/**
	 * Deactivation hook: stops the cron event; data stays until uninstall.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function deactivate(): void {
		Spool::unschedule();
	}

	/**
	 * Installs when the schema is missing or old, which also covers a plugin
	 * activated without its activation hook running (e.g. by writing `active_plugins`).
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function maybe_install(): void {
		if ( ! self::is_current() ) {
			self::activate();
		}
	}

	/**
	 * Whether the tables are those of this version of the code (the lean webhook endpoint,
	 * which runs no `plugins_loaded`, answers only then).
	 *
	 * @since 0.2.0
	 *
	 * @return bool
	 */
	public static function is_current(): bool {
		return (int) get_option( self::DB_VERSION_OPTION, 0 ) === self::DB_VERSION;
	}

	/**
	 * Creates missing secrets and options and the tables, and indexes users the lookup
	 * table lacks (all of them on the first install; after a reactivation, the meta
	 * written while the plugin's hooks were not running). Existing secrets are kept,
	 * so reactivating never breaks the CRM workflows or the bridge pairing.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function install(): void {
		if ( '' === AccessKey::get() ) {
			add_option( AccessKey::OPTION, AccessKey::generate(), '', false );
		}
		if ( '' === Pairing::secret() ) {
			add_option( Pairing::SECRET_OPTION, Pairing::generate_secret(), '', false );
		}
		add_option( Revision::OPTION, 1 );
		add_option( Settings::OPTION, Settings::defaults() );
		Spool::create_table();
		SeenMessages::create_table();
		Throttle::create_table();
		UserLookup::create_table();
		UserLookup::backfill();
		update_option( self::DB_VERSION_OPTION, self::DB_VERSION );
	}
}
