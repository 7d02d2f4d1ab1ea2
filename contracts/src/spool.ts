import { z } from 'zod/mini';
import { NumberOrNull, TextOrEmpty, TextOrNull } from './lenient';

/**
 * docs/architecture.md, "Panel → plugin": `GET /spool/failed`. A spooled failure is a delivery
 * that waited in the site's spool while the bridge was away and that the bridge then refused (a
 * 4xx for that delivery); it never reached the bridge's delivery log, so the plugin keeps it
 * (plugin/includes/Webhook/Spool.php `failed()`) until the owner replays or discards it.
 */

export const SpooledFailure = z.object( {
	id: z.number(),
	delivery_id: TextOrEmpty,
	action: TextOrEmpty,
	contact_id: NumberOrNull,
	received_at: TextOrNull,
	attempts: z.catch( z.number(), 0 ),
	/** The bridge's refusal, e.g. `HTTP 400 invalid_request: …`. */
	error: TextOrEmpty,
	failed_at: TextOrNull,
} );
export type SpooledFailure = z.infer< typeof SpooledFailure >;

/** An item without a numeric id is left out; the others are kept. */
const Items = z.pipe(
	z.catch( z.array( z.catch( z.nullable( SpooledFailure ), null ) ), [] ),
	z.transform( ( items ) => items.filter( ( item ) => item !== null ) )
);

/** The newest 100 items, and how many there are (the items' count when the total is missing). */
export const SpooledFailures = z.catch(
	z.pipe(
		z.object( { items: Items, total: NumberOrNull } ),
		z.transform( ( { items, total } ) => ( {
			items,
			total: total ?? items.length,
		} ) )
	),
	{ items: [], total: 0 }
);
export type SpooledFailures = z.infer< typeof SpooledFailures >;
