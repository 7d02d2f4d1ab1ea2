<?php
/**
 * A user's CRM tags.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Replaces a user's stored tags and tells other plugins when they changed.
 *
 * @since 0.2.0
 */
class UserTags {

	/**
	 * Replaces the user's tags; nothing is written or fired when they are the same set.
	 *
	 * @since 0.1.0
	 *
	 * @param int   $user_id User id.
	 * @param int[] $tags    New tag ids.
	 * @return void
	 */
	public static function replace( int $user_id, array $tags ): void {
		$stored     = get_user_meta( $user_id, Upserter::TAGS_META, true );
		$old        = is_array( $stored ) ? array_values( array_map( 'intval', $stored ) ) : array();
		$sorted_old = $old;
		$sorted_new = $tags;
		sort( $sorted_old );
		sort( $sorted_new );
		if ( $sorted_old === $sorted_new ) {
			return;
		}
		update_user_meta( $user_id, Upserter::TAGS_META, $tags );
		self::modified( $user_id, $old, $tags );
	}

	/**
	 * Fires `pulse_sync_tags_modified`.
	 *
	 * @since 0.2.0
	 *
	 * @param int   $user_id User id.
	 * @param int[] $old     Tag ids before.
	 * @param int[] $tags    Tag ids after.
	 * @return void
	 */
	public static function modified( int $user_id, array $old, array $tags ): void {
		/**
		 * Fires after a webhook changed a user's CRM tags.
		 *
		 * @since 0.1.0
		 *
		 * @param int   $user_id  User id.
		 * @param int[] $old_tags Tag ids before.
		 * @param int[] $new_tags Tag ids after.
		 */
		do_action( 'pulse_sync_tags_modified', $user_id, $old, $tags );
	}
}
