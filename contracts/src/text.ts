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

/**
 * A URL query parameter holding a whole number in [min, max], read as a number; its message
 * completes "<field> must be …".
 * @param min Smallest allowed.
 * @param max Largest allowed.
 */
export function queryInteger( min: number, max: number ) {
	const error = `a whole number from ${ min } to ${ max }`;
	return z.pipe(
		z.pipe(
			z.string( { error } ).check( z.regex( /^\d{1,16}$/, { error } ) ),
			z.transform( Number )
		),
		z.number().check( z.gte( min, { error } ), z.lte( max, { error } ) )
	);
}
