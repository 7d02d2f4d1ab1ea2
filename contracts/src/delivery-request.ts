import { z } from 'zod/mini';
import { DeliveryAction } from './delivery';
import { JsonObject } from './json';
import { boundedString } from './text';

/**
 * docs/architecture.md, "Plugin → bridge": the body of `POST /v1/deliveries`. Each check's message
 * completes "<field> must be …", which is what the bridge answers in its 400.
 */

/** The largest `wait_ms` the bridge honours (the largest `wait_budget_ms` of the plugin). */
export const MAX_WAIT_MS = 20_000;

// What the plugin's user route accepts as `delivery_id` (a job sends its first delivery's id).
const DELIVERY_ID = /^[A-Za-z0-9_-]+$/;
/** A role slug as a webhook or an import may name it (WordPress decides whether it may be granted). */
export const ROLE = /^[A-Za-z0-9_-]+$/;
// PHP encodes an empty array as `[]` and a missing value as null or "".
function isPhpAbsent( value: unknown ): boolean {
	return (
		value === undefined ||
		value === null ||
		value === '' ||
		( Array.isArray( value ) && value.length === 0 )
	);
}

// The CRM's URL says `send_notification=true`; the plugin may pass it on as text.
const Flag = z.pipe(
	z.nullish(
		z.union( [ z.boolean(), z.enum( [ 'true', '1', 'false', '0', '' ] ) ], {
			error: 'true or false',
		} )
	),
	z.transform(
		( value ) => value === true || value === 'true' || value === '1'
	)
);

/** Changes a value before its schema checks it (what `z.preprocess` is in zod's full API). */
function preprocess< T extends z.ZodMiniType >(
	change: ( value: unknown ) => unknown,
	schema: T
) {
	return z.pipe( z.transform( change ), schema );
}

/** A role slug, or null for none ('' and absent mean none). */
export const Role = preprocess(
	( value ) => ( value === undefined || value === '' ? null : value ),
	z.nullable( boundedString( 60, ROLE ) )
);

/**
 * `params` as sent (kept, redacted, in the delivery log) with the two the bridge reads: the
 * preprocess hands the whole object on beside them, so a failing one is named `params.role`.
 */
const Params = preprocess(
	( value ) => {
		const params = isPhpAbsent( value ) ? {} : value;
		return JsonObject.safeParse( params ).success
			? {
					all: params,
					...( params as JsonObject ),
				}
			: params;
	},
	z.object(
		{ all: JsonObject, role: Role, send_notification: Flag },
		{ error: 'a JSON object' }
	)
);

const Timestamp = z.pipe(
	z.string( { error: 'an ISO-8601 date' } ).check(
		z.maxLength( 40, { error: 'an ISO-8601 date' } ),
		z.refine( ( value ) => ! Number.isNaN( Date.parse( value ) ), {
			error: 'an ISO-8601 date',
		} )
	),
	z.transform( ( value ) => new Date( Date.parse( value ) ).toISOString() )
);

const IP_ADDRESS = z.union( [ z.ipv4(), z.ipv6() ] );

export const DeliveryRequest = z.object(
	{
		id: boundedString( 64, DELIVERY_ID ),
		action: z.enum( DeliveryAction.options, {
			error: `one of ${ DeliveryAction.options.join( ', ' ) }`,
		} ),
		contact_id: z.int( { error: 'a positive integer' } ).check(
			z.positive( { error: 'a positive integer' } ),
			z.maximum( Number.MAX_SAFE_INTEGER, {
				error: 'a positive integer',
			} )
		),
		params: Params,
		/** The CRM's address as the plugin saw it; the peer of this request is WordPress itself. */
		source_ip: preprocess(
			( value ) => ( isPhpAbsent( value ) ? null : value ),
			z.nullable(
				boundedString( 45 ).check(
					z.refine(
						( value ) => IP_ADDRESS.safeParse( value ).success,
						{ error: 'an IPv4 or IPv6 address' }
					)
				)
			)
		),
		/** Absent: received now. */
		received_at: z.optional( Timestamp ),
		wait_ms: z.pipe(
			z._default(
				z.int( { error: 'a whole number of milliseconds' } ).check(
					z.minimum( 0, { error: 'a whole number of milliseconds' } ),
					z.maximum( Number.MAX_SAFE_INTEGER, {
						error: 'a whole number of milliseconds',
					} )
				),
				0
			),
			z.transform( ( value ) => Math.min( MAX_WAIT_MS, value ) )
		),
	},
	{ error: 'a JSON object' }
);
export type DeliveryRequest = z.infer< typeof DeliveryRequest >;
