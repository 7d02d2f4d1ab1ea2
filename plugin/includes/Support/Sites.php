<?php
/**
 * Every site of a network, page by page.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Support;

defined( 'ABSPATH' ) || exit;

/**
 * Walks the ids of every site of the network.
 *
 * `get_sites()` answers 100 sites unless told otherwise, so a loop over one call forgets the
 * others; this asks page after page, in id order, until a page comes back short.
 *
 * @since 0.2.0
 */
class Sites {

	/**
	 * Sites per query: get_sites()'s own default page, so memory stays flat on any network.
	 *
	 * @since 0.2.0
	 */
	public const PAGE_SIZE = 100;

	/**
	 * The id of every site of the network (every network of the installation).
	 *
	 * @since 0.2.0
	 *
	 * @return \Generator<int,int>
	 */
	public static function ids(): \Generator {
		for ( $offset = 0; ; $offset += self::PAGE_SIZE ) {
			// What get_sites() runs; called directly so that the query is the same one the
			// tests can run on a single-site WordPress (where get_sites() is not loaded).
			$page = ( new \WP_Site_Query() )->query(
				array(
					'fields'                 => 'ids',
					'number'                 => self::PAGE_SIZE,
					'offset'                 => $offset,
					'orderby'                => 'id',
					'order'                  => 'ASC',
					'no_found_rows'          => true,
					'update_site_meta_cache' => false,
				)
			);
			foreach ( $page as $site_id ) {
				yield (int) $site_id;
			}
			if ( count( $page ) < self::PAGE_SIZE ) {
				return;
			}
		}
	}
}
