import { HttpError } from '../http/errors';

export function integerIn(
	value: unknown,
	name: string,
	min: number,
	max: number
): number {
	if (
		typeof value !== 'number' ||
		! Number.isInteger( value ) ||
		value < min ||
		value > max
	) {
		throw new HttpError( 400, {
			error: `${ name } must be an integer between ${ min } and ${ max }.`,
		} );
	}
	return value;
}

export function stringRecord(
	value: unknown,
	name: string
): Record< string, string > {
	if (
		typeof value !== 'object' ||
		value === null ||
		Array.isArray( value )
	) {
		throw new HttpError( 400, {
			error: `${ name } must be an object of strings.`,
		} );
	}
	const entries = Object.entries( value );
	if ( entries.some( ( [ , entry ] ) => typeof entry !== 'string' ) ) {
		throw new HttpError( 400, {
			error: `${ name } must be an object of strings.`,
		} );
	}
	return Object.fromEntries( entries ) as Record< string, string >;
}
