<?php
/**
 * Tests for the role guard.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Users;

use PulseSync\Tests\TestCase;
use PulseSync\Users\RoleGuard;

defined( 'ABSPATH' ) || exit;

/**
 * @covers \PulseSync\Users\RoleGuard
 */
class RoleGuardTest extends TestCase {

	/**
	 * Undoes what the test changed.
	 */
	protected function tearDown(): void {
		remove_role( 'pulse_test_plugins' );
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
		$this->assertSame( 'author', RoleGuard::permitted_role( 'author', array() ) );
		$this->assertNull( RoleGuard::permitted_role( 'author', array( 'subscriber' ) ) );
		$this->assertNull( RoleGuard::permitted_role( 'administrator', array( 'administrator' ) ) );
		$this->assertNull( RoleGuard::permitted_role( null, array() ) );
	}
}
