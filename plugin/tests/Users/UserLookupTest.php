<?php
/**
 * Tests for the user lookup table.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Users;

use PulseSync\Activator;
use PulseSync\Tests\TestCase;
use PulseSync\Users\Upserter;
use PulseSync\Users\UserLookup;

defined( 'ABSPATH' ) || exit;

/**
 * @covers \PulseSync\Users\UserLookup
 * @covers \PulseSync\Activator
 */
class UserLookupTest extends TestCase {

	/**
	 * Adding, changing and deleting the contact meta through WordPress moves the user's row.
	 */
	public function test_the_table_follows_adding_updating_and_deleting_the_meta(): void {
		$user = $this->user();
		$this->assertSame( array(), $this->rows( $user ), 'meta of other keys (names, roles, …) is not indexed' );

		add_user_meta( $user, Upserter::CONTACT_META, '71001' );
		update_user_meta( $user, Upserter::TAGS_META, array( 3 ) );
		$this->assertSame( array( array( Upserter::CONTACT_META, '71001' ) ), $this->rows( $user ) );
		$this->assertSame( $user, UserLookup::find( Upserter::CONTACT_META, '71001' ) );

		update_user_meta( $user, Upserter::CONTACT_META, '71002' );
		$this->assertSame( array( array( Upserter::CONTACT_META, '71002' ) ), $this->rows( $user ) );
		$this->assertNull( UserLookup::find( Upserter::CONTACT_META, '71001' ) );
		$this->assertSame( $user, UserLookup::find( Upserter::CONTACT_META, '71002' ) );

		update_user_meta( $user, Upserter::CREATED_BY_META, 'msg_created' );
		delete_user_meta( $user, Upserter::CONTACT_META );
		$this->assertSame( array( array( Upserter::CREATED_BY_META, 'msg_created' ) ), $this->rows( $user ) );
		$this->assertNull( UserLookup::find( Upserter::CONTACT_META, '71002' ) );
		$this->assertSame( $user, UserLookup::find( Upserter::CREATED_BY_META, 'msg_created' ) );
	}

	/**
	 * A user with the same value twice keeps its row until the last of them is deleted.
	 */
	public function test_a_value_stays_indexed_while_another_meta_row_of_the_user_has_it(): void {
		$user  = $this->user();
		$first = add_user_meta( $user, Upserter::CONTACT_META, '71003' );
		add_user_meta( $user, Upserter::CONTACT_META, '71003' );

		delete_metadata_by_mid( 'user', $first );
		$this->assertSame( array( array( Upserter::CONTACT_META, '71003' ) ), $this->rows( $user ) );

		delete_user_meta( $user, Upserter::CONTACT_META, '71003' );
		$this->assertSame( array(), $this->rows( $user ) );
	}

	/**
	 * Deleting a user deletes its meta one row at a time; each takes its index row with it.
	 */
	public function test_deleting_the_user_removes_its_rows(): void {
		$user = $this->user();
		update_user_meta( $user, Upserter::CONTACT_META, '71004' );
		update_user_meta( $user, Upserter::CREATED_BY_META, 'msg_deleted_user' );

		wp_delete_user( $user );

		$this->assertSame( array(), $this->rows( $user ) );
		$this->assertNull( UserLookup::find( Upserter::CONTACT_META, '71004' ) );
	}

	/**
	 * Deleting one value for every user (delete_metadata with $delete_all) removes its rows only.
	 */
	public function test_deleting_a_value_for_every_user_removes_its_rows(): void {
		$first  = $this->user();
		$second = $this->user();
		update_user_meta( $first, Upserter::CREATED_BY_META, 'msg_everyone' );
		update_user_meta( $second, Upserter::CREATED_BY_META, 'msg_everyone' );
		update_user_meta( $second, Upserter::CONTACT_META, '71005' );

		delete_metadata( 'user', 0, Upserter::CREATED_BY_META, 'msg_everyone', true );

		$this->assertSame( array(), $this->rows( $first ) );
		$this->assertSame( array( array( Upserter::CONTACT_META, '71005' ) ), $this->rows( $second ) );
	}

	/**
	 * A site updated from the version without the table gets it, with the users it already had.
	 */
	public function test_an_upgrade_creates_the_table_and_indexes_the_existing_users(): void {
		global $wpdb;
		$user = $this->user();
		update_user_meta( $user, Upserter::CONTACT_META, '71006' );
		update_user_meta( $user, Upserter::CREATED_BY_META, 'msg_before_the_table' );
		UserLookup::drop_table();
		update_option( Activator::DB_VERSION_OPTION, 1 );

		Activator::maybe_install();

		$this->assertSame( UserLookup::table(), $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', UserLookup::table() ) ) );
		$this->assertSame(
			array( array( Upserter::CREATED_BY_META, 'msg_before_the_table' ), array( Upserter::CONTACT_META, '71006' ) ),
			$this->rows( $user )
		);
		$this->assertSame( $user, UserLookup::find( Upserter::CONTACT_META, '71006' ) );
	}

	/**
	 * Two users with one contact id: the lowest id answers, as the usermeta query did.
	 */
	public function test_find_returns_the_lowest_user_id(): void {
		$lower  = $this->user();
		$higher = $this->user();
		update_user_meta( $higher, Upserter::CONTACT_META, '71007' );
		update_user_meta( $lower, Upserter::CONTACT_META, '71007' );

		$this->assertSame( $lower, UserLookup::find( Upserter::CONTACT_META, '71007' ) );

		delete_user_meta( $lower, Upserter::CONTACT_META );
		$this->assertSame( $higher, UserLookup::find( Upserter::CONTACT_META, '71007' ) );
	}

	/**
	 * A value longer than the column is not indexed and still found; one that fits is indexed.
	 */
	public function test_a_value_longer_than_the_column_is_still_found(): void {
		$user   = $this->user();
		$fits   = str_repeat( 'é', UserLookup::MAX_VALUE_LENGTH );
		$longer = str_repeat( 'x', UserLookup::MAX_VALUE_LENGTH + 1 );
		update_user_meta( $user, Upserter::CONTACT_META, $longer );
		update_user_meta( $user, Upserter::CREATED_BY_META, $fits );

		$this->assertSame( array( array( Upserter::CREATED_BY_META, $fits ) ), $this->rows( $user ) );
		$this->assertSame( $user, UserLookup::find( Upserter::CONTACT_META, $longer ) );
		$this->assertSame( $user, UserLookup::find( Upserter::CREATED_BY_META, $fits ) );
	}

	/**
	 * A row the table kept after a write it could not see (direct SQL) does not answer.
	 */
	public function test_a_row_left_behind_by_a_write_outside_the_meta_api_does_not_answer(): void {
		global $wpdb;
		$user = $this->user();
		update_user_meta( $user, Upserter::CONTACT_META, '71008' );
		$wpdb->delete(
			$wpdb->usermeta,
			array(
				'user_id'  => $user,
				'meta_key' => Upserter::CONTACT_META,
			)
		);

		$this->assertSame( array( array( Upserter::CONTACT_META, '71008' ) ), $this->rows( $user ) );
		$this->assertNull( UserLookup::find( Upserter::CONTACT_META, '71008' ) );
	}

	/**
	 * Without its table (a failed install), find answers from usermeta rather than "nobody".
	 */
	public function test_without_the_table_find_still_answers_from_usermeta(): void {
		global $wpdb;
		$user  = $this->user();
		$table = UserLookup::table();
		update_user_meta( $user, Upserter::CONTACT_META, '71009' );
		$wpdb->query( "RENAME TABLE {$table} TO {$table}_away" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$suppressed = $wpdb->suppress_errors( true );
		try {
			$found = UserLookup::find( Upserter::CONTACT_META, '71009' );
		} finally {
			$wpdb->suppress_errors( $suppressed );
			$wpdb->query( "RENAME TABLE {$table}_away TO {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
		$this->assertSame( $user, $found );
	}

	/**
	 * A lookup reads a few rows whatever the number of users with the key (usermeta's own
	 * indexes made it read one row per user). Counts rows, never time: the machine is shared.
	 */
	public function test_a_lookup_reads_a_few_rows_not_one_per_user(): void {
		$users = 60;
		for ( $i = 0; $i < $users; $i++ ) {
			update_user_meta( $this->user(), Upserter::CONTACT_META, (string) ( 72000 + $i ) );
		}

		$this->assertLessThan( 5, $this->rows_read( static fn() => UserLookup::find( Upserter::CONTACT_META, '71999' ) ), 'a new contact' );
		$this->assertLessThan( $users / 2, $this->rows_read( static fn() => UserLookup::find( Upserter::CONTACT_META, '72030' ) ), 'a known contact' );
	}

	/**
	 * A new user with a unique login and email.
	 *
	 * @return int User id.
	 */
	private function user(): int {
		$login = 'lookup_' . bin2hex( random_bytes( 6 ) );
		$id    = wp_insert_user(
			array(
				'user_login' => $login,
				'user_email' => "{$login}@example.test",
				'user_pass'  => wp_generate_password( 24 ),
			)
		);
		$this->assertIsInt( $id );
		return $id;
	}

	/**
	 * The table's rows for a user, as [meta_key, meta_value], sorted.
	 *
	 * @param int $user_id User id.
	 * @return array<int,array{0:string,1:string}>
	 */
	private function rows( int $user_id ): array {
		global $wpdb;
		$table = UserLookup::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name is ours.
		return $wpdb->get_results( $wpdb->prepare( "SELECT meta_key, meta_value FROM {$table} WHERE user_id = %d ORDER BY meta_key, meta_value", $user_id ), ARRAY_N );
	}

	/**
	 * How many rows MariaDB read while a callback ran (this connection's Handler_read_* counters,
	 * less the index dives, Handler_read_key, which count lookups rather than rows).
	 *
	 * @param callable $callback Callback.
	 * @return int
	 */
	private function rows_read( callable $callback ): int {
		$before = $this->handler_reads();
		$callback();
		$after = $this->handler_reads();
		return array_sum( $after ) - array_sum( $before );
	}

	/**
	 * This connection's Handler_read_* counters other than Handler_read_key.
	 *
	 * @return array<string,int>
	 */
	private function handler_reads(): array {
		global $wpdb;
		$reads = array();
		foreach ( $wpdb->get_results( "SHOW SESSION STATUS LIKE 'Handler\\_read\\_%'", ARRAY_N ) as $row ) {
			if ( 'Handler_read_key' !== $row[0] ) {
				$reads[ $row[0] ] = (int) $row[1];
			}
		}
		return $reads;
	}
}
