<?php
/**
 * The signed linked-contacts routes the bridge's resync and reconciliation call.
 *
 * @package PulseSync\Tests
 */

namespace PulseSync\Tests\Users;

use PulseSync\Tests\Support\PluginTestCase;
use PulseSync\Users\Upserter;

defined( 'ABSPATH' ) || exit;

require_once dirname( __DIR__ ) . '/Support/PluginTestCase.php';

/**
 * @covers \PulseSync\Users\LinkedContacts
 * @covers \PulseSync\Rest\BridgeController
 */
class LinkedContactsTest extends PluginTestCase {

	/** Above any contact id another test links. */
	private const BASE = 9000000;

	/**
	 * Users linked to BASE + each offset.
	 *
	 * @param int[] $offsets Contact id offsets.
	 * @return void
	 */
	private function link_users( array $offsets ): void {
		foreach ( $offsets as $offset ) {
			$user_id = (int) wp_insert_user( array( 'user_login' => 'linked' . $offset . wp_rand(), 'user_pass' => wp_generate_password() ) );
			update_user_meta( $user_id, Upserter::CONTACT_META, (string) ( self::BASE + $offset ) );
		}
	}

	/**
	 * A signed GET with a query, as the bridge sends it.
	 *
	 * @param string $query Canonical query.
	 * @return array
	 */
	private function signed_page( string $query ): array {
		$headers = $this->signature_headers( '', null, '', 'GET', '/pulse-sync/v1/bridge/linked-contacts', $query );
		return $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/linked-contacts?' . $query, null, $headers );
	}

	/**
	 * Keyset pages in numeric order (9 before 10, which text order would swap), none skipped or repeated.
	 */
	public function test_pages_linked_contacts_in_numeric_order_by_keyset(): void {
		$this->link_users( array( 10, 9, 100, 11 ) );
		$first = $this->signed_page( 'after=' . self::BASE . '&limit=2' );
		$this->assertSame( 200, $first['status'], $first['body'] );
		$this->assertSame( array( self::BASE + 9, self::BASE + 10 ), $first['json']['contact_ids'] );
		$this->assertGreaterThanOrEqual( 4, $first['json']['total'] );
		$next = $this->signed_page( 'after=' . ( self::BASE + 10 ) . '&limit=2' );
		$this->assertSame( array( self::BASE + 11, self::BASE + 100 ), $next['json']['contact_ids'] );
	}

	/**
	 * Attack: the list of linked users unsigned, or with a limit past the maximum.
	 */
	public function test_unsigned_is_401_and_a_limit_over_the_maximum_is_400(): void {
		$this->assertSame( 401, $this->http( 'GET', '/wp-json/pulse-sync/v1/bridge/linked-contacts?after=0&limit=10' )['status'] );
		$this->assertSame( 400, $this->signed_page( 'after=0&limit=501' )['status'] );
		$this->assertSame( 400, $this->signed_page( 'after=-1&limit=5' )['status'] );
	}

	/**
	 * The lookup answers which of the asked contacts have a user.
	 */
	public function test_lookup_answers_the_linked_ones_among_the_asked(): void {
		$this->link_users( array( 1, 3 ) );
		$answer = $this->signed_rest( 'POST', '/bridge/linked-contacts/lookup', array( 'contact_ids' => array( self::BASE + 1, self::BASE + 2, self::BASE + 3 ) ) );
		$this->assertSame( 200, $answer['status'], $answer['body'] );
		$linked = $answer['json']['linked'];
		sort( $linked );
		$this->assertSame( array( self::BASE + 1, self::BASE + 3 ), $linked );
		$this->assertSame( 400, $this->signed_rest( 'POST', '/bridge/linked-contacts/lookup', array( 'contact_ids' => array( 'x' ) ) )['status'] );
		$this->assertSame( 401, $this->http( 'POST', '/wp-json/pulse-sync/v1/bridge/linked-contacts/lookup', '{"contact_ids":[1]}', array( 'Content-Type' => 'application/json' ) )['status'] );
	}
}
