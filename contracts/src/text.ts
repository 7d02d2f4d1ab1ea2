import { z } from 'zod';

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
		.min( 1, { error } )
		.max( maxLength, { error } );
	return pattern ? text.regex( pattern, { error } ) : text;
}
