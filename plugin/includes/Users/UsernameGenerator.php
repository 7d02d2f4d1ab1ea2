<?php
/**
 * Usernames for new users.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Proposes usernames by the owner's format: the email address (default),
 * "FirstnameLastname", or the first name plus digits.
 *
 * @since 0.1.0
 */
class UsernameGenerator {

	/**
	 * `user_login` is a VARCHAR(60).
	 *
	 * @since 0.1.0
	 */
	private const MAX_LENGTH = 60;

	/**
	 * How many candidates to propose before giving up.
	 *
	 * @since 0.1.0
	 */
	private const MAX_CANDIDATES = 50;

	/**
	 * Candidate usernames, best first; the caller takes the first free one.
	 *
	 * @since 0.1.0
	 *
	 * @param string $format     email, firstlast or first_digits.
	 * @param string $email      Email address.
	 * @param string $first_name First name.
	 * @param string $last_name  Last name.
	 * @return \Generator<int,string>
	 */
	public static function candidates( string $format, string $email, string $first_name, string $last_name ): \Generator {
		$base = '';
		if ( 'firstlast' === $format ) {
			$base = self::clean( ucfirst( self::clean( $first_name ) ) . ucfirst( self::clean( $last_name ) ) );
		} elseif ( 'first_digits' === $format ) {
			$first = strtolower( self::clean( $first_name ) );
			if ( '' !== $first ) {
				for ( $n = 0; $n < self::MAX_CANDIDATES; $n++ ) {
					// Four digits while free ones are easy to find, then more.
					$digits = $n < 20 ? 4 : 6;
					yield substr( $first, 0, self::MAX_LENGTH - $digits ) . (string) wp_rand( 10 ** ( $digits - 1 ), 10 ** $digits - 1 );
				}
				return;
			}
		}
		if ( '' === $base ) {
			$base = self::clean( $email );
		}
		if ( '' === $base ) {
			$base = 'user';
		}
		yield substr( $base, 0, self::MAX_LENGTH );
		for ( $n = 2; $n <= self::MAX_CANDIDATES; $n++ ) {
			$suffix = (string) $n;
			yield substr( $base, 0, self::MAX_LENGTH - strlen( $suffix ) ) . $suffix;
		}
	}

	/**
	 * Whether a username from the mapping may be used as it is.
	 *
	 * @since 0.1.0
	 *
	 * @param string $login Proposed username.
	 * @return bool
	 */
	public static function is_acceptable( string $login ): bool {
		return '' !== $login && strlen( $login ) <= self::MAX_LENGTH && sanitize_user( $login, true ) === $login && validate_username( $login );
	}

	/**
	 * Reduces a string to the characters a strict WordPress username allows, without spaces.
	 *
	 * @since 0.1.0
	 *
	 * @param string $value Raw value.
	 * @return string
	 */
	private static function clean( string $value ): string {
		return str_replace( ' ', '', sanitize_user( $value, true ) );
	}
}
