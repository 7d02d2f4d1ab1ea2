import { z } from 'zod/mini';
import { DELIVERY_ACTIONS, JOB_STATES } from './delivery';
import { boundedString, queryInteger } from './text';

/**
 * docs/architecture.md, "Plugin → bridge": the query of `GET /v1/deliveries` (the panel's
 * `GET /deliveries`, relayed by the plugin, whose REST args repeat these bounds for WordPress's
 * own 400). Every value arrives as text; an empty one is as if absent. Each check's message
 * completes "<field> must be …", which is what the bridge answers in its 400.
 */

export const MAX_DELIVERIES_PER_PAGE = 100;

const STATUS_ERROR = `one of pending, ${ JOB_STATES.join( ', ' ) }`;

export const DeliveryListQuery = z.object( {
	page: z._default( queryInteger( 1, 1_000_000 ), 1 ),
	per_page: z._default( queryInteger( 1, MAX_DELIVERIES_PER_PAGE ), 20 ),
	// The status screen calls queued deliveries "pending".
	status: z.optional(
		z.pipe(
			z.enum( [ 'pending', ...JOB_STATES ], { error: STATUS_ERROR } ),
			z.transform( ( value ) =>
				value === 'pending' ? 'queued' : value
			)
		)
	),
	action: z.optional(
		z.enum( DELIVERY_ACTIONS, {
			error: `one of ${ DELIVERY_ACTIONS.join( ', ' ) }`,
		} )
	),
	contact_id: z.optional( queryInteger( 1, Number.MAX_SAFE_INTEGER ) ),
	email: z.optional( boundedString( 254 ) ),
} );
export type DeliveryListQuery = z.output< typeof DeliveryListQuery >;
