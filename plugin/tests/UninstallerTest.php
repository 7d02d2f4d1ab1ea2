<?php
/**
 * Tests for uninstalling.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests;

use PulseSync\Activator;
use PulseSync\Bridge\BridgeUrl;
use PulseSync\Bridge\Pairing;
use PulseSync\Bridge\SeenMessages;
use PulseSync\Bridge\Signature;
use PulseSync\Bridge\SignedRequest;
use PulseSync\Support\Sites;
use PulseSync\Support\Throttle;
use PulseSync\Tests\Support\PluginTestCase;
use PulseSync\Uninstaller;
use PulseSync\Users\Upserter;
use PulseSync\Users\UserLookup;
use PulseSync\Users\UserPayload;
use PulseSync\Webhook\Spool;

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Uninstaller
 * @covers \PulseSync\Activator
 * @covers \PulseSync\Support\Sites
 */
class UninstallerTest extends PluginTestCase {

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
		// Not the stack's bridge: uninstalling asks the bridge to forget its CRM tokens.
		$this->point_bridge_at_closed_port();
		BridgeUrl::trust_paired( 'https://bridge.example.com' );

		// The way wp-admin deletes a plugin: WordPress includes uninstall.php (once per process).
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		uninstall_plugin( plugin_basename( PULSE_SYNC_FILE ) );
		$this->fresh();

		foreach ( array( 'pulse_sync_access_key', 'pulse_sync_bridge_secret', 'pulse_sync_bridge_paired_url', 'pulse_sync_settings', 'pulse_sync_settings_rev', 'pulse_sync_crm_client_secret', 'pulse_sync_db_version' ) as $option ) {
			$this->assertFalse( get_option( $option ), $option );
		}
		$this->assertFalse( get_transient( 'pulse_sync_bridge_backlog' ) );
		$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Spool::table() ) ) );
		$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', UserLookup::table() ) ) );
		$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', SeenMessages::table() ) ) );
		$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Throttle::table() ) ) );
		$this->assertFalse( wp_next_scheduled( Spool::CRON_HOOK ) );
		$this->assertSame( '777001', get_user_meta( $result['user_id'], 'pulsetech_contact_id', true ) );
		$this->assertSame( array( 4 ), get_user_meta( $result['user_id'], 'pulsetech_tags', true ) );
		$this->assertSame( '', get_user_meta( $result['user_id'], Upserter::CREATED_BY_META, true ) );
	}

	/**
	 * Uninstall revokes the CRM tokens the bridge holds: it calls the bridge's signed disconnect
	 * route while the secret still exists (the CRM has no revoke endpoint; the bridge deletes them).
	 */
	public function test_uninstall_asks_the_bridge_to_delete_its_crm_tokens_before_the_secret_goes(): void {
		$bridge = $this->start_fake_bridge();
		$bridge->answer( '/v1/crm/disconnect', 200, array( 'connected' => false ) );
		$secret = Pairing::secret();

		$this->uninstall_plugin();

		$requests = $bridge->requests();
		$this->assertCount( 1, $requests );
		$this->assertSame( 'POST', $requests[0]['method'] );
		$this->assertSame( '/v1/crm/disconnect', $requests[0]['path'] );
		$headers = $requests[0]['headers'];
		$signed  = new SignedRequest( 'POST', '/v1/crm/disconnect', array(), $requests[0]['body'] );
		Signature::verify( array( $secret ), SignedRequest::PLUGIN_TO_BRIDGE, $signed, $headers['webhook-id'], $headers['webhook-timestamp'], $headers['webhook-signature'], time() );
		$this->assertFalse( get_option( Pairing::SECRET_OPTION ) );
	}

	/**
	 * A bridge that is away does not stop uninstalling, and no bridge is asked once the budget
	 * is spent.
	 */
	public function test_uninstall_completes_when_the_bridge_is_away_or_the_budget_is_spent(): void {
		$this->point_bridge_at_closed_port();
		$this->uninstall_plugin();
		$this->assertFalse( get_option( Pairing::SECRET_OPTION ) );

		Activator::install();
		$bridge = $this->start_fake_bridge();
		$spent  = static fn() => 0.0;
		add_filter( 'pulse_sync_uninstall_revoke_budget', $spent );
		$this->uninstall_plugin();
		remove_filter( 'pulse_sync_uninstall_revoke_budget', $spent );
		$this->assertSame( array(), $bridge->requests() );
		$this->assertFalse( get_option( Pairing::SECRET_OPTION ) );
	}

	/**
	 * On a network, uninstalling walks every site, not the 100 that `get_sites()` answers by
	 * default. The stack's WordPress is a single site, so this runs the walk's real query
	 * (WP_Site_Query, what get_sites() runs) on a temporary `blogs` table of 150 sites on the
	 * stack's MariaDB; switching to each site is WordPress's own multisite code.
	 */
	public function test_the_site_walk_of_uninstall_reaches_all_150_sites_of_a_network(): void {
		global $wpdb;
		require_once ABSPATH . WPINC . '/class-wp-site-query.php';
		$table = $wpdb->base_prefix . 'blogs';
		$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $table ) ), 'the stack is a single site' );
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is WordPress's.
		$wpdb->query( "CREATE TEMPORARY TABLE {$table} (blog_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, site_id BIGINT NOT NULL DEFAULT 1, domain VARCHAR(200) NOT NULL DEFAULT '', path VARCHAR(100) NOT NULL DEFAULT '/', registered DATETIME NOT NULL DEFAULT '2026-01-01 00:00:00', last_updated DATETIME NOT NULL DEFAULT '2026-01-01 00:00:00', public TINYINT NOT NULL DEFAULT 1, archived TINYINT NOT NULL DEFAULT 0, mature TINYINT NOT NULL DEFAULT 0, spam TINYINT NOT NULL DEFAULT 0, deleted TINYINT NOT NULL DEFAULT 0, lang_id INT NOT NULL DEFAULT 0)" );
		$wpdb->query( "INSERT INTO {$table} (domain) VALUES " . implode( ',', array_fill( 0, 150, "('site.example.test')" ) ) );
		// phpcs:enable
		$wpdb->blogs = $table;
		try {
			$this->assertCount( 100, ( new \WP_Site_Query() )->query( array( 'fields' => 'ids' ) ), 'the default page that loses sites' );
			$this->assertSame( range( 1, 150 ), iterator_to_array( Sites::ids(), false ) );
		} finally {
			$wpdb->blogs = null;
			$wpdb->query( "DROP TEMPORARY TABLE IF EXISTS {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
	}

	/**
	 * Uninstalls as uninstall.php does (WordPress includes that file once per process).
	 *
	 * @return void
	 */
	private function uninstall_plugin(): void {
		Uninstaller::uninstall();
		$this->fresh();
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
		$this->assertSame( SeenMessages::table(), $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', SeenMessages::table() ) ) );
		$this->assertSame( 4, (int) get_option( Activator::DB_VERSION_OPTION ) );
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
