<?php
/**
 * Tests for the role guard.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Users;

use PulseSync\Tests\TestCase;
use PulseSync\Users\NetworkRoles;
use PulseSync\Users\RoleGuard;

defined( 'ABSPATH' ) || exit;

/**
 * @covers \PulseSync\Users\RoleGuard
 * @covers \PulseSync\Users\NetworkRoles
 */
class RoleGuardTest extends TestCase {

	/**
	 * Undoes what the test changed.
	 */
	protected function tearDown(): void {
		foreach ( array( 'pulse_test_plugins', 'pulse_test_installer', 'pulse_test_themes', 'shop_manager' ) as $role ) {
			remove_role( $role );
		}
		remove_filter( 'pulse_sync_privileged_capabilities', array( $this, 'add_moderate_comments' ) );
		parent::tearDown();
	}

	/**
	 * Filter callback adding a capability.
	 *
	 * @param string[] $capabilities Capabilities.
	 * @return string[]
	 */
	public function add_moderate_comments( array $capabilities ): array {
		$capabilities[] = 'moderate_comments';
		return $capabilities;
	}

	/**
	 * Privileged and missing roles.
	 */
	public function test_privileged_and_missing_roles(): void {
		add_role( 'pulse_test_plugins', 'Plugins', array( 'activate_plugins' => true ) );
		$this->assertTrue( RoleGuard::is_privileged_role( 'administrator' ) );
		$this->assertTrue( RoleGuard::is_privileged_role( 'editor' ) );
		$this->assertTrue( RoleGuard::is_privileged_role( 'pulse_test_plugins' ) );
		$this->assertTrue( RoleGuard::is_privileged_role( 'no_such_role' ) );
		$this->assertFalse( RoleGuard::is_privileged_role( 'subscriber' ) );
		$this->assertFalse( RoleGuard::is_privileged_role( 'author' ) );
	}

	/**
	 * Grantable roles exclude privileged ones.
	 */
	public function test_grantable_roles_exclude_privileged_ones(): void {
		$roles = array_keys( RoleGuard::grantable_roles() );
		$this->assertContains( 'subscriber', $roles );
		$this->assertContains( 'contributor', $roles );
		$this->assertNotContains( 'administrator', $roles );
		$this->assertNotContains( 'editor', $roles );
	}

	/**
	 * The filter can add but never remove capabilities.
	 */
	public function test_the_filter_can_add_but_never_remove_capabilities(): void {
		add_filter( 'pulse_sync_privileged_capabilities', array( $this, 'add_moderate_comments' ) );
		add_filter( 'pulse_sync_privileged_capabilities', '__return_empty_array', 20 );
		$this->assertTrue( RoleGuard::is_privileged_role( 'editor' ), 'The built-in list always applies.' );
		remove_filter( 'pulse_sync_privileged_capabilities', '__return_empty_array', 20 );
		$this->assertTrue( RoleGuard::is_privileged_role( 'editor' ) );
		$this->assertFalse( RoleGuard::is_privileged_role( 'author' ) );
	}

	/**
	 * Default role never privileged.
	 */
	public function test_default_role_never_privileged(): void {
		$this->assertSame( 'contributor', RoleGuard::default_role( 'contributor' ) );
		$this->assertSame( 'subscriber', RoleGuard::default_role( 'administrator' ) );
		$this->assertSame( get_option( 'default_role' ), RoleGuard::default_role( '' ) );
	}

	/**
	 * Permitted role honours the owner narrowing.
	 */
	public function test_permitted_role_honours_the_owner_narrowing(): void {
		$this->assertSame( 'author', RoleGuard::permitted_role( 'author', array( 'author', 'subscriber' ), '' ) );
		$this->assertNull( RoleGuard::permitted_role( 'author', array( 'subscriber' ), '' ) );
		$this->assertNull( RoleGuard::permitted_role( 'administrator', array( 'administrator' ), '' ) );
		$this->assertNull( RoleGuard::permitted_role( 'editor', array( 'editor' ), 'editor' ), 'A privileged role is refused even if a stale setting names it.' );
		$this->assertNull( RoleGuard::permitted_role( null, array( 'author' ), '' ) );
	}

	/**
	 * Regression (issue 11, item 3): an empty "allowed roles" meant every non-privileged role,
	 * so `role=author` (publishes, uploads) was granted by URL. Empty now means the default role.
	 */
	public function test_empty_allowed_roles_grants_only_the_default_role(): void {
		$this->assertSame( 'subscriber', RoleGuard::default_role( '' ), 'The stack\'s site default role.' );
		$this->assertSame( array( 'subscriber' ), RoleGuard::allowed_roles( array(), '' ) );
		$this->assertNull( RoleGuard::permitted_role( 'author', array(), '' ) );
		$this->assertNull( RoleGuard::permitted_role( 'contributor', array(), '' ) );
		$this->assertSame( 'subscriber', RoleGuard::permitted_role( 'subscriber', array(), '' ) );
		$this->assertSame( array( 'contributor' ), RoleGuard::allowed_roles( array(), 'contributor' ), 'The plugin\'s default role, when set, is the default role.' );
		$this->assertNull( RoleGuard::permitted_role( 'subscriber', array(), 'contributor' ) );
	}

	/**
	 * Regression (issue 11, item 3): a plugin role such as WooCommerce's `shop_manager` (none of
	 * the listed capabilities, but it manages the shop's orders, products and customers) was
	 * grantable by URL while no role was ticked.
	 */
	public function test_webhook_cannot_grant_shop_manager_unless_ticked(): void {
		add_role( 'shop_manager', 'Shop manager', self::shop_manager_capabilities() );
		$this->assertNull( RoleGuard::permitted_role( 'shop_manager', array(), '' ) );
		$this->assertNull( RoleGuard::permitted_role( 'shop_manager', array( 'customer', 'subscriber' ), '' ) );
		$this->assertSame( 'shop_manager', RoleGuard::permitted_role( 'shop_manager', array( 'shop_manager' ), '' ), 'The owner may still tick it.' );
	}

	/**
	 * A subset of what WooCommerce gives `shop_manager` (WC_Install::create_roles()).
	 *
	 * @return array<string,bool>
	 */
	public static function shop_manager_capabilities(): array {
		return array_fill_keys( array( 'read', 'edit_posts', 'edit_others_posts', 'publish_posts', 'upload_files', 'list_users', 'manage_woocommerce', 'edit_products', 'edit_shop_orders', 'view_woocommerce_reports' ), true );
	}

	/**
	 * The spec's whole list makes a role privileged, install_plugins and edit_themes included.
	 */
	public function test_install_plugins_and_edit_themes_make_a_role_privileged(): void {
		add_role( 'pulse_test_installer', 'Installer', array( 'read' => true, 'install_plugins' => true ) );
		add_role( 'pulse_test_themes', 'Themes', array( 'read' => true, 'edit_themes' => true ) );
		$this->assertTrue( RoleGuard::is_privileged_role( 'pulse_test_installer' ) );
		$this->assertTrue( RoleGuard::is_privileged_role( 'pulse_test_themes' ) );
		$this->assertNull( RoleGuard::permitted_role( 'pulse_test_installer', array( 'pulse_test_installer' ), '' ) );
	}

	/**
	 * Regression (issue 11, item 3): on a network, a user who is an editor of another site (its
	 * own role definitions) was "unprotected" on this one, and usermeta is shared. The stack runs
	 * a single site, so this writes the network's usermeta rows as WordPress keeps them
	 * (`{base_prefix}{site}_capabilities`) and hands in the other sites' role definitions.
	 */
	public function test_a_user_privileged_on_another_site_of_the_network_is_protected(): void {
		global $wpdb;
		$user_id = (int) wp_insert_user( array( 'user_login' => 'net' . wp_rand( 100000, 999999 ), 'user_email' => 'net' . wp_rand() . '@example.test', 'user_pass' => wp_generate_password(), 'role' => 'subscriber' ) );
		$this->assertFalse( NetworkRoles::privileged_anywhere( $user_id, array( $this, 'network_roles' ) ), 'A subscriber everywhere is not protected.' );

		update_user_meta( $user_id, $wpdb->base_prefix . '7_capabilities', array( 'shop_boss' => true ) );
		update_user_meta( $user_id, $wpdb->base_prefix . '12_capabilities', array( 'subscriber' => true ) );
		update_user_meta( $user_id, $wpdb->base_prefix . 'plugin_capabilities', array( 'manage_options' => true ) );
		$sites = NetworkRoles::grants_by_site( $user_id );
		$this->assertSame( array( 1, 7, 12 ), self::sorted( array_keys( $sites ) ) );
		$this->assertTrue( NetworkRoles::privileged_anywhere( $user_id, array( $this, 'network_roles' ) ), 'shop_boss holds edit_users on site 7.' );

		update_user_meta( $user_id, $wpdb->base_prefix . '7_capabilities', array( 'subscriber' => true, 'promote_users' => true ) );
		$this->assertTrue( NetworkRoles::privileged_anywhere( $user_id, array( $this, 'network_roles' ) ), 'A capability granted to the user directly on site 7.' );

		update_user_meta( $user_id, $wpdb->base_prefix . '7_capabilities', array( 'subscriber' => true ) );
		$this->assertFalse( NetworkRoles::privileged_anywhere( $user_id, array( $this, 'network_roles' ) ), 'Another plugin\'s `…plugin_capabilities` key is no site.' );
	}

	/**
	 * Role definitions of the sites of a pretend network: site 7 has a role of its own.
	 *
	 * @param int $site_id Site id.
	 * @return array<string,array{capabilities:array<string,bool>}>
	 */
	public function network_roles( int $site_id ): array {
		$roles = array( 'subscriber' => array( 'capabilities' => array( 'read' => true ) ) );
		if ( 7 === $site_id ) {
			$roles['shop_boss'] = array( 'capabilities' => array( 'read' => true, 'edit_users' => true ) );
		}
		return $roles;
	}

	/**
	 * Sorted copy.
	 *
	 * @param int[] $list List.
	 * @return int[]
	 */
	private static function sorted( array $list ): array {
		sort( $list );
		return $list;
	}

	/**
	 * Keys of the network's capabilities rows and what a site's grants add up to.
	 */
	public function test_network_meta_keys_and_effective_capabilities(): void {
		$this->assertSame( 1, NetworkRoles::site_of_meta_key( 'wp_capabilities', 'wp_', 1 ) );
		$this->assertSame( 7, NetworkRoles::site_of_meta_key( 'wp_7_capabilities', 'wp_', 1 ) );
		$this->assertNull( NetworkRoles::site_of_meta_key( 'wp_plugin_capabilities', 'wp_', 1 ) );
		$this->assertNull( NetworkRoles::site_of_meta_key( 'wp_0_capabilities', 'wp_', 1 ) );
		$roles = array( 'boss' => array( 'capabilities' => array( 'edit_users' => true, 'read' => true ) ) );
		$this->assertSame( array( 'edit_users' => true, 'read' => true, 'boss' => true ), NetworkRoles::effective_capabilities( array( 'boss' => true ), $roles ) );
		$this->assertTrue( RoleGuard::has_privileged_capability( NetworkRoles::effective_capabilities( array( 'boss' => false ), $roles ) ), 'WordPress counts a role whatever its value.' );
		$this->assertFalse( RoleGuard::has_privileged_capability( NetworkRoles::effective_capabilities( array( 'boss' => true, 'edit_users' => false ), $roles ) ), 'A direct denial wins, as in WP_User.' );
	}
}
