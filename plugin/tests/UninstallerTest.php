<?php
/**
 * Tests for uninstalling.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests;

use PulseSync\Activator;
use PulseSync\Support\Throttle;
use PulseSync\Users\Upserter;
use PulseSync\Users\UserLookup;
use PulseSync\Users\UserPayload;
use PulseSync\Webhook\Spool;

defined( 'ABSPATH' ) || exit;

/**
 * @covers \PulseSync\Uninstaller
 * @covers \PulseSync\Activator
 */
class UninstallerTest extends TestCase {

	/**
	 * Undoes what the test changed.
	 */
	protected function tearDown(): void {
		// Put the plugin back as the stack had it; TestCase restores the secrets and settings.
		Activator::install();
		Spool::schedule();
		parent::tearDown();
	}

	/**
	 * Uninstall removes plugin data and keeps shared user meta.
	 */
	public function test_uninstall_removes_plugin_data_and_keeps_shared_user_meta(): void {
		global $wpdb;
		$result = ( new Upserter() )->upsert(
			UserPayload::from_array(
				array(
					'delivery_id' => 'msg_' . bin2hex( random_bytes( 16 ) ),
					'action'      => 'add',
					'contact_id'  => 777001,
					'email'       => 'uninstall@example.test',
					'tags'        => array( 4 ),
				)
			)
		);
		set_transient( 'pulse_sync_bridge_backlog', 1, 60 );

		// The way wp-admin deletes a plugin: WordPress includes uninstall.php.
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		uninstall_plugin( plugin_basename( PULSE_SYNC_FILE ) );
		$this->fresh();

		foreach ( array( 'pulse_sync_access_key', 'pulse_sync_bridge_secret', 'pulse_sync_settings', 'pulse_sync_settings_rev', 'pulse_sync_crm_client_secret', 'pulse_sync_db_version' ) as $option ) {
			$this->assertFalse( get_option( $option ), $option );
		}
		$this->assertFalse( get_transient( 'pulse_sync_bridge_backlog' ) );
		$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Spool::table() ) ) );
		$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', UserLookup::table() ) ) );
		$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Throttle::table() ) ) );
		$this->assertFalse( wp_next_scheduled( Spool::CRON_HOOK ) );
		$this->assertSame( '777001', get_user_meta( $result['user_id'], 'pulsetech_contact_id', true ) );
		$this->assertSame( array( 4 ), get_user_meta( $result['user_id'], 'pulsetech_tags', true ) );
		$this->assertSame( '', get_user_meta( $result['user_id'], Upserter::CREATED_BY_META, true ) );
	}

	/**
	 * A site on schema 2 (before the throttle table and the spool's `failed_at`) is upgraded on
	 * the next request, without reactivation.
	 */
	public function test_an_upgrade_from_schema_2_adds_the_throttle_table_and_the_spool_failed_column(): void {
		global $wpdb;
		$spool = Spool::table();
		Throttle::drop_table();
		$wpdb->query( "ALTER TABLE {$spool} DROP INDEX failed_at, DROP COLUMN failed_at" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		update_option( Activator::DB_VERSION_OPTION, 2 );

		Activator::maybe_install();

		$this->assertSame( Throttle::table(), $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Throttle::table() ) ) );
		$this->assertSame( 'failed_at', $wpdb->get_var( "SHOW COLUMNS FROM {$spool} LIKE 'failed_at'" ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$this->assertSame( 3, (int) get_option( Activator::DB_VERSION_OPTION ) );
	}

	/**
	 * Activation keeps existing secrets and creates missing ones.
	 */
	public function test_activation_keeps_existing_secrets_and_creates_missing_ones(): void {
		$key    = get_option( 'pulse_sync_access_key' );
		$secret = get_option( 'pulse_sync_bridge_secret' );
		Activator::activate();
		$this->assertSame( $key, get_option( 'pulse_sync_access_key' ) );
		$this->assertSame( $secret, get_option( 'pulse_sync_bridge_secret' ) );

		delete_option( 'pulse_sync_access_key' );
		delete_option( 'pulse_sync_bridge_secret' );
		Activator::install();
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', get_option( 'pulse_sync_access_key' ) );
		$this->assertMatchesRegularExpression( '/^whsec_[A-Za-z0-9+\/]{43}=$/', get_option( 'pulse_sync_bridge_secret' ) );
		$this->assertSame( 32, strlen( base64_decode( substr( get_option( 'pulse_sync_bridge_secret' ), 6 ) ) ) );
		$autoload = $GLOBALS['wpdb']->get_var( "SELECT autoload FROM {$GLOBALS['wpdb']->options} WHERE option_name = 'pulse_sync_bridge_secret'" );
		// WordPress 6.6 writes 'off' where older versions wrote 'no'.
		$this->assertContains( $autoload, array( 'no', 'off' ) );
	}
}
