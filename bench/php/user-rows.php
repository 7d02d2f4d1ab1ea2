<?php
/**
 * The bare user write the benchmarks compare the plugin against: wp_insert_user with the same
 * meta and tags as the plugin's user write, no locks, lookups or hooks of Pulse Sync's.
 *
 * @package PulseSync\Bench
 */

/**
 * Creates one user; exits the script when WordPress refuses it.
 *
 * Two meta writes through wp_insert_user (first and last name) and three below: the same five
 * the reference measurement made, and the ones the plugin writes for a mapped contact.
 *
 * @param array $user {contact_id, email, first_name, last_name}.
 * @param int[] $tags Tag ids.
 * @return int The new user's id.
 */
function pulse_bench_insert_user( array $user, array $tags ): int {
	$user_id = wp_insert_user(
		array(
			'user_login' => $user['email'],
			'user_email' => $user['email'],
			'user_pass'  => wp_generate_password( 24 ),
			'first_name' => $user['first_name'],
			'last_name'  => $user['last_name'],
			'role'       => get_option( 'default_role' ),
		)
	);
	if ( is_wp_error( $user_id ) ) {
		fwrite( STDERR, 'wp_insert_user failed: ' . $user_id->get_error_code() . "\n" );
		exit( 1 );
	}
	update_user_meta( $user_id, 'pulsetech_contact_id', (string) $user['contact_id'] );
	update_user_meta( $user_id, 'pulsetech_tags', $tags );
	update_user_meta( $user_id, 'billing_phone', '' );
	return $user_id;
}
