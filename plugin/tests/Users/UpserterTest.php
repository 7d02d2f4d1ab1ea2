<?php
/**
 * Tests for the find-or-create of a contact's user.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Users;

use PulseSync\HttpError;
use PulseSync\Settings;
use PulseSync\Tests\Support\PluginTestCase;
use PulseSync\Users\AccountLink;
use PulseSync\Users\Upserter;
use PulseSync\Users\UserPayload;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';
require_once __DIR__ . '/RoleGuardTest.php';

/**
 * @covers \PulseSync\Users\Upserter
 * @covers \PulseSync\Users\AccountLink
 * @covers \PulseSync\Users\WriteLocks
 * @covers \PulseSync\Users\UserPayload
 * @covers \PulseSync\Users\UsernameGenerator
 */
class UpserterTest extends PluginTestCase {

	/**
	 * Mail WordPress tried to send during the test.
	 *
	 * @var array<int,array<string,mixed>>
	 */
	private array $mails = array();

	/**
	 * Hooks fired during the test: [hook, args].
	 *
	 * @var array<int,array{0:string,1:array}>
	 */
	private array $fired = array();

	/**
	 * Custom roles to remove afterwards.
	 *
	 * @var string[]
	 */
	private array $roles = array();

	/**
	 * Starts each test from a known state.
	 */
	protected function setUp(): void {
		parent::setUp();
		add_filter( 'pre_wp_mail', array( $this, 'capture_mail' ), 10, 2 );
		foreach ( array( 'pulse_sync_user_created', 'pulse_sync_user_updated', 'pulse_sync_tags_modified' ) as $hook ) {
			add_action(
				$hook,
				function ( ...$args ) use ( $hook ) {
					$this->fired[] = array( $hook, $args );
				},
				10,
				3
			);
		}
	}

	/**
	 * Undoes what the test changed.
	 */
	protected function tearDown(): void {
		remove_filter( 'pre_wp_mail', array( $this, 'capture_mail' ), 10 );
		foreach ( array( 'pulse_sync_user_created', 'pulse_sync_user_updated', 'pulse_sync_tags_modified' ) as $hook ) {
			remove_all_actions( $hook );
		}
		foreach ( $this->roles as $role ) {
			remove_role( $role );
		}
		parent::tearDown();
	}

	/**
	 * `pre_wp_mail` callback: records the mail instead of sending it.
	 *
	 * @param null|bool $short_circuit Null.
	 * @param array     $atts          wp_mail arguments.
	 * @return bool
	 */
	public function capture_mail( $short_circuit, array $atts ): bool {
		$this->mails[] = $atts;
		return true;
	}

	/**
	 * Runs the upserter on a payload built from defaults and overrides.
	 *
	 * @param array $overrides Payload fields.
	 * @return array
	 */
	private function upsert( array $overrides = array() ): array {
		return ( new Upserter() )->upsert( UserPayload::from_array( $this->payload( $overrides ) ) );
	}

	/**
	 * A payload for a fresh contact.
	 *
	 * @param array $overrides Payload fields.
	 * @return array
	 */
	private function payload( array $overrides = array() ): array {
		static $contact = 0;
		$contact_id = $overrides['contact_id'] ?? 900000 + ( ++$contact ) + wp_rand( 0, 9999 ) * 100;
		$email      = $overrides['email'] ?? "contact{$contact_id}@example.test";
		return array_merge(
			array(
				'delivery_id'        => 'msg_' . bin2hex( random_bytes( 16 ) ),
				'action'             => 'add',
				'contact_id'         => $contact_id,
				'email'              => $email,
				'user'               => array(
					'user_email' => $email,
					'first_name' => 'Jane',
					'last_name'  => 'Doe',
				),
				'meta'               => array(),
				'role'               => null,
				'tags'               => array( 5, 7 ),
				'send_notification'  => false,
				'generated_password' => null,
			),
			$overrides
		);
	}

	/**
	 * A user made outside the webhook.
	 *
	 * @param string $email Email.
	 * @param string $role  Role.
	 * @return int
	 */
	private function make_user( string $email, string $role = 'subscriber' ): int {
		return (int) wp_insert_user(
			array(
				'user_login' => 'pre' . wp_rand( 100000, 999999 ),
				'user_email' => $email,
				'user_pass'  => 'original-password-123',
				'role'       => $role,
			)
		);
	}

	/**
	 * Hooks fired with a name.
	 *
	 * @param string $hook Hook name.
	 * @return array<int,array>
	 */
	private function fired( string $hook ): array {
		return array_values( array_map( static fn( $call ) => $call[1], array_filter( $this->fired, static fn( $call ) => $hook === $call[0] ) ) );
	}

	/**
	 * Add creates a user with contact meta tags and the default role.
	 */
	public function test_add_creates_a_user_with_contact_meta_tags_and_the_default_role(): void {
		$result = $this->upsert( array( 'contact_id' => 4242, 'email' => 'jane.doe@example.test' ) );
		$this->assertSame( 'created', $result['status'] );
		$user = get_userdata( $result['user_id'] );
		$this->assertSame( 'jane.doe@example.test', $user->user_email );
		$this->assertSame( 'jane.doe@example.test', $user->user_login, 'The email address is the default username.' );
		$this->assertSame( 'Jane', $user->first_name );
		$this->assertSame( array( 'subscriber' ), $user->roles );
		$this->assertSame( '4242', get_user_meta( $user->ID, 'pulsetech_contact_id', true ) );
		$this->assertSame( array( 5, 7 ), get_user_meta( $user->ID, 'pulsetech_tags', true ) );
		$this->assertSame( array( array( $user->ID, 4242 ) ), $this->fired( 'pulse_sync_user_created' ) );
		$this->assertSame( array( array( $user->ID, array(), array( 5, 7 ) ) ), $this->fired( 'pulse_sync_tags_modified' ) );
		$this->assertSame( array(), $this->mails, 'No email without send_notification.' );
	}

	/**
	 * Existing user found by contact id lowest id wins.
	 */
	public function test_existing_user_found_by_contact_id_lowest_id_wins(): void {
		$first  = $this->make_user( 'first@example.test' );
		$second = $this->make_user( 'second@example.test' );
		update_user_meta( $second, 'pulsetech_contact_id', '5151' );
		update_user_meta( $first, 'pulsetech_contact_id', '5151' );
		$result = $this->upsert( array( 'contact_id' => 5151, 'email' => 'other@example.test' ) );
		$this->assertSame( 'updated', $result['status'] );
		$this->assertSame( $first, $result['user_id'] );
		$this->assertSame( 'first@example.test', get_userdata( $first )->user_email, 'The email is never changed.' );
		$this->assertSame( 'Jane', get_userdata( $first )->first_name );
	}

	/**
	 * Existing user found by email is linked and keeps its password.
	 */
	public function test_existing_user_found_by_email_is_linked_and_keeps_its_password(): void {
		$user_id = $this->make_user( 'Found.By@Example.test' );
		$hash    = get_userdata( $user_id )->user_pass;
		$result  = $this->upsert( array( 'contact_id' => 6161, 'email' => 'found.by@example.test', 'send_notification' => true, 'generated_password' => str_repeat( 'g', 24 ) ) );
		$this->fresh();
		$this->assertSame( array( 'status' => 'updated', 'user_id' => $user_id, 'password_used' => false ), $result );
		$this->assertSame( '6161', get_user_meta( $user_id, 'pulsetech_contact_id', true ) );
		$this->assertSame( $hash, get_userdata( $user_id )->user_pass );
		$this->assertSame( array(), $this->mails, 'An existing user gets no email.' );
		$this->assertCount( 1, $this->fired( 'pulse_sync_user_updated' ) );
	}

	/**
	 * @dataProvider update_actions
	 *
	 * @param string $action update or update_tags.
	 */
	public function test_update_for_a_contact_without_user_is_skipped_and_creates_nothing( string $action ): void {
		global $wpdb;
		$before = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->users}" );
		$result = $this->upsert( array( 'action' => $action ) );
		$this->assertSame( array( 'status' => 'skipped', 'user_id' => null, 'password_used' => false, 'reason' => 'no_user' ), $result );
		$this->assertSame( $before, (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->users}" ) );
	}

	/**
	 * The actions that never create.
	 *
	 * @return array<string,array{0:string}>
	 */
	public function update_actions(): array {
		return array(
			'update'      => array( 'update' ),
			'update_tags' => array( 'update_tags' ),
		);
	}

	/**
	 * Update tags replaces tags only and reports old and new.
	 */
	public function test_update_tags_replaces_tags_only_and_reports_old_and_new(): void {
		$created = $this->upsert( array( 'contact_id' => 7171 ) );
		$this->fired = array();
		$result      = $this->upsert( array( 'contact_id' => 7171, 'action' => 'update_tags', 'user' => array( 'first_name' => 'Changed' ), 'tags' => array( 9 ) ) );
		$this->assertSame( 'updated', $result['status'] );
		$this->assertSame( 'Jane', get_userdata( $created['user_id'] )->first_name );
		$this->assertSame( array( 9 ), get_user_meta( $created['user_id'], 'pulsetech_tags', true ) );
		$this->assertSame( array( array( $created['user_id'], array( 5, 7 ), array( 9 ) ) ), $this->fired( 'pulse_sync_tags_modified' ) );
		$this->assertSame( array(), $this->fired( 'pulse_sync_user_updated' ) );
	}

	/**
	 * Unchanged tags fire nothing and missing tags strip nothing.
	 */
	public function test_unchanged_tags_fire_nothing_and_missing_tags_strip_nothing(): void {
		$created     = $this->upsert( array( 'contact_id' => 7272 ) );
		$this->fired = array();
		$this->upsert( array( 'contact_id' => 7272, 'action' => 'update', 'tags' => array( 7, 5 ) ) );
		$this->upsert( array( 'contact_id' => 7272, 'action' => 'update', 'tags' => null ) );
		$this->assertSame( array(), $this->fired( 'pulse_sync_tags_modified' ) );
		$this->assertSame( array( 5, 7 ), get_user_meta( $created['user_id'], 'pulsetech_tags', true ) );
	}

	/**
	 * Username from the mapped field when free.
	 */
	public function test_username_from_the_mapped_field_when_free(): void {
		$result = $this->upsert( array( 'user' => array( 'user_login' => 'janed', 'first_name' => 'Jane' ) ) );
		$this->assertSame( 'janed', get_userdata( $result['user_id'] )->user_login );
	}

	/**
	 * Taken mapped username falls back to the format.
	 */
	public function test_taken_mapped_username_falls_back_to_the_format(): void {
		$this->upsert( array( 'user' => array( 'user_login' => 'takenname' ) ) );
		$result = $this->upsert( array( 'email' => 'second.taken@example.test', 'user' => array( 'user_login' => 'takenname' ) ) );
		$this->assertSame( 'second.taken@example.test', get_userdata( $result['user_id'] )->user_login );
	}

	/**
	 * Firstlast format is made unique.
	 */
	public function test_firstlast_format_is_made_unique(): void {
		Settings::update( array( 'username_format' => 'firstlast' ) );
		$first  = $this->upsert( array( 'user' => array( 'first_name' => 'Ada', 'last_name' => 'Lovelace' ) ) );
		$second = $this->upsert( array( 'user' => array( 'first_name' => 'Ada', 'last_name' => 'Lovelace' ) ) );
		$this->assertSame( 'AdaLovelace', get_userdata( $first['user_id'] )->user_login );
		$this->assertSame( 'AdaLovelace2', get_userdata( $second['user_id'] )->user_login );
	}

	/**
	 * First digits format.
	 */
	public function test_first_digits_format(): void {
		Settings::update( array( 'username_format' => 'first_digits' ) );
		$result = $this->upsert( array( 'user' => array( 'first_name' => 'Grace' ) ) );
		$this->assertMatchesRegularExpression( '/^grace\d{4}$/', get_userdata( $result['user_id'] )->user_login );
	}

	/**
	 * Password from the mapped field is not reported as used.
	 */
	public function test_password_from_the_mapped_field_is_not_reported_as_used(): void {
		$result = $this->upsert( array( 'user' => array( 'user_pass' => 'from-the-crm-1234' ), 'generated_password' => str_repeat( 'g', 24 ) ) );
		$this->assertFalse( $result['password_used'] );
		$this->assertTrue( wp_check_password( 'from-the-crm-1234', get_userdata( $result['user_id'] )->user_pass, $result['user_id'] ) );
	}

	/**
	 * Generated password is used and a repeat of the delivery says so again.
	 */
	public function test_generated_password_is_used_and_a_repeat_of_the_delivery_says_so_again(): void {
		$payload = $this->payload( array( 'generated_password' => 'Gen-Pass-0123456789abcdef' ) );
		$first   = ( new Upserter() )->upsert( UserPayload::from_array( $payload ) );
		$again   = ( new Upserter() )->upsert( UserPayload::from_array( $payload ) );
		$this->assertSame( array( 'status' => 'created', 'user_id' => $first['user_id'], 'password_used' => true ), $first );
		$this->assertSame( $first, $again );
		$this->assertTrue( wp_check_password( 'Gen-Pass-0123456789abcdef', get_userdata( $first['user_id'] )->user_pass, $first['user_id'] ) );
		$this->assertCount( 1, $this->fired( 'pulse_sync_user_created' ) );
	}

	/**
	 * A create that dies between the insert and its markers leaves nothing behind, so the
	 * retry creates the user afresh and reports the generated password as used. Without the
	 * transaction the retry found the half-made user by email and answered "updated".
	 */
	public function test_a_create_that_dies_before_its_markers_leaves_no_user_and_the_retry_uses_the_password(): void {
		global $wpdb;
		$payload = $this->payload(
			array(
				'email'              => 'half-made@example.com',
				'generated_password' => 'Gen-Pass-0123456789abcdef',
			)
		);
		$die     = static function ( $meta_id, $user_id, $key ): void {
			if ( Upserter::CREATED_BY_META === $key ) {
				throw new \RuntimeException( 'The worker died here.' );
			}
		};
		add_action( 'added_user_meta', $die, 10, 3 );
		try {
			( new Upserter() )->upsert( UserPayload::from_array( $payload ) );
			$this->fail( 'The write should have failed.' );
		} catch ( \RuntimeException $e ) {
			$this->assertSame( 'The worker died here.', $e->getMessage() );
		} finally {
			remove_action( 'added_user_meta', $die, 10 );
		}
		$this->assertSame( '0', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->users} WHERE user_email = %s", 'half-made@example.com' ) ) );

		$retry = ( new Upserter() )->upsert( UserPayload::from_array( $payload ) );
		$this->assertSame( 'created', $retry['status'] );
		$this->assertTrue( $retry['password_used'] );
	}

	/**
	 * Without any password one is generated and not reported.
	 */
	public function test_without_any_password_one_is_generated_and_not_reported(): void {
		$result = $this->upsert();
		$this->assertFalse( $result['password_used'] );
		$this->assertNotSame( '', get_userdata( $result['user_id'] )->user_pass );
	}

	/**
	 * A new user needs a valid email.
	 */
	public function test_a_new_user_needs_a_valid_email(): void {
		global $wpdb;
		$before = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->users}" );
		try {
			$this->upsert( array( 'email' => 'not-an-email', 'user' => array( 'first_name' => 'No' ) ) );
			$this->fail( 'An invalid email must be refused.' );
		} catch ( HttpError $e ) {
			$this->assertSame( 422, $e->status() );
			$this->assertSame( 'pulse_sync_invalid_email', $e->error_code() );
		}
		$this->assertSame( $before, (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->users}" ) );
	}

	/**
	 * @dataProvider requested_roles
	 *
	 * @param string|null $requested Role in the payload.
	 * @param string      $expected  Role the user gets.
	 */
	public function test_role_rules_for_new_users( ?string $requested, string $expected ): void {
		$this->add_test_role( 'pulse_test_manager', array( 'read' => true, 'edit_users' => true ) );
		$this->add_test_role( 'pulse_test_member', array( 'read' => true ) );
		Settings::update( array( 'allowed_roles' => array( 'pulse_test_member', 'author' ) ) );
		$result = $this->upsert( array( 'role' => $requested ) );
		$this->assertSame( array( $expected ), get_userdata( $result['user_id'] )->roles );
	}

	/**
	 * Requested roles and what a new user gets.
	 *
	 * @return array<string,array{0:?string,1:string}>
	 */
	public function requested_roles(): array {
		return array(
			'none'                   => array( null, 'subscriber' ),
			'allowed'                => array( 'pulse_test_member', 'pulse_test_member' ),
			'author, ticked'         => array( 'author', 'author' ),
			'contributor, not ticked' => array( 'contributor', 'subscriber' ),
			'unknown'                => array( 'no_such_role', 'subscriber' ),
			'administrator'          => array( 'administrator', 'subscriber' ),
			'editor (unfiltered_html)' => array( 'editor', 'subscriber' ),
			'a role with edit_users' => array( 'pulse_test_manager', 'subscriber' ),
		);
	}

	/**
	 * Allowed roles setting narrows the choice.
	 */
	public function test_allowed_roles_setting_narrows_the_choice(): void {
		Settings::update( array( 'allowed_roles' => array( 'contributor' ) ) );
		$this->assertSame( array( 'subscriber' ), get_userdata( $this->upsert( array( 'role' => 'author' ) )['user_id'] )->roles );
		$this->assertSame( array( 'contributor' ), get_userdata( $this->upsert( array( 'role' => 'contributor' ) )['user_id'] )->roles );
	}

	/**
	 * The plugin default role applies when none is requested.
	 */
	public function test_the_plugin_default_role_applies_when_none_is_requested(): void {
		Settings::update( array( 'default_role' => 'contributor' ) );
		$this->assertSame( array( 'contributor' ), get_userdata( $this->upsert()['user_id'] )->roles );
	}

	/**
	 * Role is applied to an existing user when allowed.
	 */
	public function test_role_is_applied_to_an_existing_user_when_allowed(): void {
		Settings::update( array( 'allowed_roles' => array( 'author' ) ) );
		$created = $this->upsert( array( 'contact_id' => 8181 ) );
		$this->upsert( array( 'contact_id' => 8181, 'role' => 'administrator' ) );
		$this->fresh();
		$this->assertSame( array( 'subscriber' ), get_userdata( $created['user_id'] )->roles );
		$this->upsert( array( 'contact_id' => 8181, 'role' => 'author' ) );
		$this->fresh();
		$this->assertSame( array( 'author' ), get_userdata( $created['user_id'] )->roles );
	}

	/**
	 * Regression (issue 11, item 3): with no role ticked, `role=author` in the webhook URL (or a
	 * field mapped to role) made an author, who publishes and uploads. Now only the default role.
	 */
	public function test_empty_allowed_roles_grants_only_the_default_role(): void {
		$this->assertSame( array(), Settings::get( 'allowed_roles' ) );
		$by_url    = $this->upsert( array( 'role' => 'author' ) );
		$by_field  = $this->upsert( array( 'user' => array( 'role' => 'contributor' ) ) );
		$this->assertSame( array( 'subscriber' ), get_userdata( $by_url['user_id'] )->roles );
		$this->assertSame( array( 'subscriber' ), get_userdata( $by_field['user_id'] )->roles );

		$this->upsert( array( 'contact_id' => $this->contact_of( $by_url['user_id'] ), 'action' => 'update', 'role' => 'author' ) );
		$this->fresh();
		$this->assertSame( array( 'subscriber' ), get_userdata( $by_url['user_id'] )->roles, 'Nor by an update.' );

		Settings::update( array( 'default_role' => 'contributor' ) );
		$this->assertSame( array( 'contributor' ), get_userdata( $this->upsert( array( 'role' => 'author' ) )['user_id'] )->roles, 'The plugin\'s default role is the one granted.' );
	}

	/**
	 * Regression (issue 11, item 3): a plugin role such as WooCommerce's `shop_manager` has none
	 * of the listed capabilities, so it was granted by URL or mapped field while no role was ticked.
	 */
	public function test_webhook_cannot_grant_shop_manager(): void {
		$this->add_test_role( 'shop_manager', RoleGuardTest::shop_manager_capabilities() );
		$this->add_test_role( 'customer', array( 'read' => true ) );
		$new = $this->upsert( array( 'role' => 'shop_manager' ) );
		$this->assertSame( array( 'subscriber' ), get_userdata( $new['user_id'] )->roles );

		Settings::update( array( 'allowed_roles' => array( 'customer' ) ) );
		$mapped = $this->upsert( array( 'user' => array( 'role' => 'shop_manager' ) ) );
		$this->assertSame( array( 'subscriber' ), get_userdata( $mapped['user_id'] )->roles );
		$this->upsert( array( 'contact_id' => $this->contact_of( $mapped['user_id'] ), 'action' => 'update', 'role' => 'shop_manager' ) );
		$this->fresh();
		$this->assertSame( array( 'subscriber' ), get_userdata( $mapped['user_id'] )->roles );
		$this->upsert( array( 'contact_id' => $this->contact_of( $mapped['user_id'] ), 'action' => 'update', 'role' => 'customer' ) );
		$this->fresh();
		$this->assertSame( array( 'customer' ), get_userdata( $mapped['user_id'] )->roles, 'A ticked role is granted to a user Pulse Sync created.' );
	}

	/**
	 * Regression (issue 11, item 3): a webhook changed the role of any unprotected user, e.g. a
	 * member the site made by hand who was then linked by email. Only users Pulse Sync created
	 * get a new role, unless the owner allows more.
	 */
	public function test_role_of_a_user_not_created_by_pulse_sync_is_kept(): void {
		Settings::update( array( 'allowed_roles' => array( 'author', 'contributor' ) ) );
		$member = $this->make_user( 'member@example.test', 'contributor' );
		$result = $this->upsert( array( 'contact_id' => 6262, 'email' => 'member@example.test', 'role' => 'author' ) );
		$this->fresh();
		$this->assertSame( array( 'status' => 'updated', 'user_id' => $member, 'password_used' => false ), $result );
		$this->assertSame( array( 'contributor' ), get_userdata( $member )->roles );
		$this->assertSame( '6262', get_user_meta( $member, 'pulsetech_contact_id', true ), 'Linked by email all the same.' );

		Settings::update( array( 'change_roles_of_other_users' => true ) );
		$this->upsert( array( 'contact_id' => 6262, 'action' => 'update', 'role' => 'author' ) );
		$this->fresh();
		$this->assertSame( array( 'author' ), get_userdata( $member )->roles, 'The owner allowed it.' );
	}

	/**
	 * Regression (issue 11, item 4): a second contact carrying the email of a user linked to
	 * another contact re-pointed the user's `pulsetech_contact_id` and took over its tags.
	 *
	 * @dataProvider all_actions
	 *
	 * @param string $action add, update or update_tags.
	 */
	public function test_second_contact_with_same_email_cannot_take_over_a_linked_user( string $action ): void {
		$first       = $this->upsert( array( 'contact_id' => 7301, 'email' => 'owner.of.account@example.test', 'tags' => array( 5 ) ) );
		$this->fired = array();
		try {
			$this->upsert( array( 'contact_id' => 7302, 'email' => 'Owner.Of.Account@example.test', 'action' => $action, 'tags' => array( 99 ), 'user' => array( 'first_name' => 'Mallory' ) ) );
			$this->fail( 'The second contact must be refused.' );
		} catch ( HttpError $e ) {
			$this->assertSame( 422, $e->status() );
			$this->assertSame( AccountLink::LINKED_TO_OTHER_CONTACT, $e->error_code() );
			$this->assertStringContainsString( 'contact 7301', $e->getMessage() );
			$this->assertStringNotContainsString( (string) $first['user_id'], $e->getMessage(), 'The answer reaches the CRM: no user id.' );
		}
		$this->fresh();
		$this->assertSame( '7301', get_user_meta( $first['user_id'], 'pulsetech_contact_id', true ) );
		$this->assertSame( array( 5 ), get_user_meta( $first['user_id'], 'pulsetech_tags', true ) );
		$this->assertSame( 'Jane', get_userdata( $first['user_id'] )->first_name );
		$this->assertSame( array(), $this->fired );
	}

	/**
	 * Every action.
	 *
	 * @return array<string,array{0:string}>
	 */
	public function all_actions(): array {
		return array(
			'add'         => array( 'add' ),
			'update'      => array( 'update' ),
			'update_tags' => array( 'update_tags' ),
		);
	}

	/**
	 * With `link_users_by_email` off, an existing unlinked user is never linked by a webhook: an
	 * add fails with the reason, an update finds no user.
	 */
	public function test_an_unlinked_user_is_not_linked_by_email_when_the_setting_is_off(): void {
		$this->assertTrue( Settings::get( 'link_users_by_email' ), 'On by default, as the CRM\'s guide promises.' );
		Settings::update( array( 'link_users_by_email' => false ) );
		$user_id = $this->make_user( 'by.hand@example.test' );
		try {
			$this->upsert( array( 'contact_id' => 7401, 'email' => 'by.hand@example.test' ) );
			$this->fail( 'The add must be refused.' );
		} catch ( HttpError $e ) {
			$this->assertSame( 422, $e->status() );
			$this->assertSame( AccountLink::EMAIL_LINK_DISABLED, $e->error_code() );
		}
		$this->assertSame( array( 'status' => 'skipped', 'user_id' => null, 'password_used' => false, 'reason' => 'no_user' ), $this->upsert( array( 'contact_id' => 7401, 'email' => 'by.hand@example.test', 'action' => 'update' ) ) );
		$this->fresh();
		$this->assertSame( '', get_user_meta( $user_id, 'pulsetech_contact_id', true ) );
	}

	/**
	 * A link made by hand moves the user to the second contact, whose next write then updates it.
	 */
	public function test_a_link_by_hand_lets_the_second_contact_drive_the_user(): void {
		$first = $this->upsert( array( 'contact_id' => 7501, 'email' => 'moved@example.test' ) );
		AccountLink::link_by_hand( get_userdata( $first['user_id'] ), 7502 );
		$this->fresh();
		$result = $this->upsert( array( 'contact_id' => 7502, 'email' => 'moved@example.test', 'tags' => array( 3 ) ) );
		$this->assertSame( 'updated', $result['status'] );
		$this->assertSame( $first['user_id'], $result['user_id'] );
		$this->assertSame( array( 3 ), get_user_meta( $first['user_id'], 'pulsetech_tags', true ) );
	}

	/**
	 * The contact a user is linked to.
	 *
	 * @param int $user_id User id.
	 * @return int
	 */
	private function contact_of( int $user_id ): int {
		return (int) get_user_meta( $user_id, 'pulsetech_contact_id', true );
	}

	/**
	 * @dataProvider protected_roles
	 *
	 * @param string $role Role of the existing user.
	 */
	public function test_a_webhook_aimed_at_a_privileged_user_changes_nothing( string $role ): void {
		$this->add_test_role( 'pulse_test_promoter', array( 'read' => true, 'promote_users' => true ) );
		$user_id = $this->make_user( 'boss@example.test', $role );
		update_user_meta( $user_id, 'pulsetech_contact_id', '9191' );
		$hash   = get_userdata( $user_id )->user_pass;
		$result = $this->upsert( array( 'contact_id' => 9191, 'email' => 'boss@example.test', 'role' => 'subscriber', 'tags' => array( 1 ) ) );
		$this->fresh();
		$this->assertSame( array( 'status' => 'skipped', 'user_id' => $user_id, 'password_used' => false, 'reason' => 'protected_user' ), $result );
		$user = get_userdata( $user_id );
		$this->assertSame( array( $role ), $user->roles );
		$this->assertSame( '', $user->first_name );
		$this->assertSame( $hash, $user->user_pass );
		$this->assertSame( '', get_user_meta( $user_id, 'pulsetech_tags', true ) );
		$this->assertSame( array(), $this->fired );
	}

	/**
	 * Roles whose holders are protected.
	 *
	 * @return array<string,array{0:string}>
	 */
	public function protected_roles(): array {
		return array(
			'administrator'           => array( 'administrator' ),
			'editor'                  => array( 'editor' ),
			'custom with promote_users' => array( 'pulse_test_promoter' ),
		);
	}

	/**
	 * Welcome email only when asked.
	 */
	public function test_welcome_email_only_when_asked(): void {
		$result = $this->upsert( array( 'email' => 'welcome.me@example.test', 'send_notification' => true ) );
		$this->assertCount( 1, $this->mails );
		$this->assertSame( 'welcome.me@example.test', $this->mails[0]['to'] );
		$this->assertStringContainsString( 'action=rp', $this->mails[0]['message'] );
		$this->assertStringContainsString( rawurlencode( get_userdata( $result['user_id'] )->user_login ), $this->mails[0]['message'] );
	}

	/**
	 * Always send welcome setting sends without the parameter.
	 */
	public function test_always_send_welcome_setting_sends_without_the_parameter(): void {
		Settings::update( array( 'always_send_welcome' => true ) );
		$this->upsert( array( 'email' => 'always@example.test' ) );
		$this->assertSame( array( 'always@example.test' ), array_column( $this->mails, 'to' ) );
	}

	/**
	 * Mapped meta is written sanitized.
	 */
	public function test_mapped_meta_is_written_sanitized(): void {
		$result = $this->upsert( array( 'meta' => array( 'billing_phone' => '<b>555</b> 0100', 'interests' => array( 'a', 'b' ) ) ) );
		$this->assertSame( '555 0100', get_user_meta( $result['user_id'], 'billing_phone', true ) );
		$this->assertSame( array( 'a', 'b' ), get_user_meta( $result['user_id'], 'interests', true ) );
	}

	/**
	 * @dataProvider reserved_meta_keys
	 *
	 * @param string $key Meta key a mapping must never write.
	 */
	public function test_reserved_meta_keys_are_refused( string $key ): void {
		$this->expectException( HttpError::class );
		UserPayload::from_array( $this->payload( array( 'meta' => array( $key => 'a:1:{s:13:"administrator";b:1;}' ) ) ) );
	}

	/**
	 * Keys that would grant privileges or break the plugin's links.
	 *
	 * @return array<string,array{0:string}>
	 */
	public function reserved_meta_keys(): array {
		global $wpdb;
		return array(
			'capabilities'     => array( $wpdb->prefix . 'capabilities' ),
			'user level'       => array( $wpdb->prefix . 'user_level' ),
			'session tokens'   => array( 'session_tokens' ),
			'contact link'     => array( 'pulsetech_contact_id' ),
			'private meta'     => array( '_pulse_sync_created_by_delivery' ),
		);
	}

	/**
	 * Adds a role for this test only.
	 *
	 * @param string $slug         Slug.
	 * @param array  $capabilities Capabilities.
	 * @return void
	 */
	private function add_test_role( string $slug, array $capabilities ): void {
		add_role( $slug, $slug, $capabilities );
		$this->roles[] = $slug;
	}
}
