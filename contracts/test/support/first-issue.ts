import type { ZodMiniType } from 'zod/mini';

/**
 * "<path>: <message>" of the first issue a contract finds; throws when the value passes.
 * @param schema The contract.
 * @param value  What it is given.
 */
export function firstIssue( schema: ZodMiniType, value: unknown ): string {
	const parsed = schema.safeParse( value );
	if ( parsed.success ) {
		throw new Error( 'expected a refusal' );
	}
	const issue = parsed.error.issues[ 0 ]!;
	return `${ issue.path.join( '.' ) }: ${ issue.message }`;
}
