<?php
/**
 * The tags the daily reconciliation imports.
 *
 * @package PulseSync
 * @since   0.3.0
 */

namespace PulseSync\Imports;

defined( 'ABSPATH' ) || exit;

/**
 * Validates the `reconcile_tag_ids` setting: a list of CRM tag ids (the bridge starts one
 * reconciliation run per tag each day while `reconcile_enabled` is on).
 *
 * @since 0.3.0
 */
class ReconcileTags {

	/**
	 * Most tags a reconciliation covers; each is one run a day.
	 *
	 * @since 0.3.0
	 */
	public const MAX_TAGS = 20;

	/**
	 * The clean list, or null when the value is not a list of positive integers.
	 *
	 * @since 0.3.0
	 *
	 * @param mixed $value Raw value.
	 * @return int[]|null
	 */
	public static function sanitize( $value ): ?array {
		if ( ! is_array( $value ) || ! array_is_list( $value ) || count( $value ) > self::MAX_TAGS ) {
			return null;
		}
		foreach ( $value as $id ) {
			if ( ! is_int( $id ) || $id < 1 ) {
				return null;
			}
		}
		return array_values( array_unique( $value ) );
	}
}
