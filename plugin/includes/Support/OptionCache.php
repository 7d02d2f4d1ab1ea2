<?php
/**
 * Loading several options that are not autoloaded in one query.
 *
 * @package PulseSync
 * @since   0.2.0
 */

namespace PulseSync\Support;

defined( 'ABSPATH' ) || exit;

/**
 * Primes WordPress's option cache for options a request will read, so that each later
 * get_option() or get_transient() is answered from memory.
 *
 * Why: a webhook reads seven options that are not autoloaded (the access key, the two bridge
 * secrets, the timeout and value of the bridge-down and backlog transients), one query each; the
 * answer path of a webhook made 17 queries, 7 of them these (measured with MariaDB's general
 * log). WordPress 6.4 has wp_prime_option_caches() for this; the plugin supports 6.1, so below it
 * the same is done here.
 *
 * @since 0.2.0
 */
class OptionCache {

	/**
	 * Loads the named options into the cache with one query; a missing one is remembered as
	 * missing, as get_option() would.
	 *
	 * @since 0.2.0
	 *
	 * @param string[] $names Option names.
	 * @return void
	 */
	public static function prime( array $names ): void {
		if ( function_exists( 'wp_prime_option_caches' ) ) {
			wp_prime_option_caches( $names );
			return;
		}
		$alloptions = wp_load_alloptions();
		$wanted     = array_values(
			array_filter(
				$names,
				static fn( $name ) => ! isset( $alloptions[ $name ] ) && false === wp_cache_get( $name, 'options' )
			)
		);
		if ( array() === $wanted ) {
			return;
		}
		global $wpdb;
		$placeholders = implode( ', ', array_fill( 0, count( $wanted ), '%s' ) );
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- only placeholders are interpolated.
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT option_name, option_value FROM {$wpdb->options} WHERE option_name IN ({$placeholders})", $wanted ) );
		if ( '' !== $wpdb->last_error || ! is_array( $rows ) ) {
			return; // Each get_option() then asks on its own, as without priming.
		}
		$found = array();
		foreach ( $rows as $row ) {
			$found[ $row->option_name ] = true;
			wp_cache_add( $row->option_name, $row->option_value, 'options' );
		}
		$notoptions = wp_cache_get( 'notoptions', 'options' );
		$notoptions = is_array( $notoptions ) ? $notoptions : array();
		foreach ( $wanted as $name ) {
			if ( ! isset( $found[ $name ] ) ) {
				$notoptions[ $name ] = true;
			}
		}
		wp_cache_set( 'notoptions', $notoptions, 'options' );
	}
}
