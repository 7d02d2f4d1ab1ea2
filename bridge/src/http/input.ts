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

/**
 * A URL query as its contract reads it (empty values count as absent), or the 400 naming the
 * first parameter it refused.
 * @param schema The contract (contracts/).
 * @param query  The request's query.
 */
export function parseQuery< T >(
	schema: ZodMiniType< T >,
	query: URLSearchParams
): T {
	const present = [ ...query ].filter( ( [ , value ] ) => value !== '' );
	return parseBody( schema, Object.fromEntries( present ) );
}
