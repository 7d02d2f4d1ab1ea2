import { z } from 'zod/mini';

const FORMATTED = ' in the expected format';

/**
 * A non-empty string of at most `maxLength` characters (matching `pattern`); its message completes
 * "<field> must be …".
 * @param maxLength Longest allowed.
 * @param pattern   What it must match, if anything.
 */
export function boundedString( maxLength: number, pattern?: RegExp ) {
	const error = `a non-empty string of at most ${ maxLength } characters${ pattern ? FORMATTED : '' }`;
	const text = z
		.string( { error } )
		.check(
			z.minLength( 1, { error } ),
			z.maxLength( maxLength, { error } )
		);
	return pattern ? text.check( z.regex( pattern, { error } ) ) : text;
}
