import type { ZodMiniType, core } from 'zod/mini';
import { HttpError } from '../errors';

/** Input checks shared by the routes; each failure is a 400 naming the field. */

export function badRequest( field: string, expected: string ): HttpError {
	return new HttpError(
		400,
		'invalid_request',
		`${ field } must be ${ expected }.`
	);
}

/**
 * The 400 for a body its contract refused: the first issue, as "<field> must be <message>." (the
 * contracts word their messages so).
 * @param error What the schema said.
 */
function invalidInput( error: core.$ZodError ): HttpError {
	const issue = error.issues[ 0 ];
	const field = issue?.path.length ? issue.path.join( '.' ) : 'the body';
	return badRequest( field, issue?.message ?? 'valid' );
}

/**
 * The body as its contract reads it, or that 400.
 * @param schema The contract (contracts/).
 * @param body   The parsed request body.
 */
export function parseBody< T >( schema: ZodMiniType< T >, body: unknown ): T {
	const parsed = schema.safeParse( body );
	if ( ! parsed.success ) {
		throw invalidInput( parsed.error );
	}
	return parsed.data;
}

export function oneOf< T extends string >(
	value: unknown,
	allowed: readonly T[],
	field: string
): T {
	if (
		typeof value !== 'string' ||
		! ( allowed as readonly string[] ).includes( value )
	) {
		throw badRequest( field, `one of ${ allowed.join( ', ' ) }` );
	}
	return value as T;
}

export function boundedString(
	value: unknown,
	field: string,
	maxLength: number,
	pattern?: RegExp
): string {
	if (
		typeof value !== 'string' ||
		value === '' ||
		value.length > maxLength ||
		( pattern && ! pattern.test( value ) )
	) {
		throw badRequest(
			field,
			`a non-empty string of at most ${ maxLength } characters${ pattern ? ' in the expected format' : '' }`
		);
	}
	return value;
}

/**
 * A query parameter as an integer in [min, max], or the fallback when absent.
 * @param query    The URL query.
 * @param name     Parameter name, also used in the error message.
 * @param fallback Value when the parameter is absent.
 * @param min      Smallest allowed value.
 * @param max      Largest allowed value.
 */
export function queryInteger(
	query: URLSearchParams,
	name: string,
	fallback: number,
	min: number,
	max: number
): number {
	const raw = query.get( name );
	if ( raw === null ) {
		return fallback;
	}
	const value = /^\d{1,9}$/.test( raw ) ? Number( raw ) : NaN;
	if ( ! ( value >= min && value <= max ) ) {
		throw badRequest( name, `a whole number from ${ min } to ${ max }` );
	}
	return value;
}
