import { z } from 'zod';
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
	attempts: z.number().catch( 0 ),
	/** The bridge's refusal, e.g. `HTTP 400 invalid_request: …`. */
	error: TextOrEmpty,
	failed_at: TextOrNull,
} );
export type SpooledFailure = z.infer< typeof SpooledFailure >;

/** The newest 100 items and how many there are; an item without a numeric id is left out. */
export const SpooledFailures = z
	.object( {
		items: z
			.array( SpooledFailure.nullable().catch( null ) )
			.catch( [] )
			.transform( ( items ) =>
				items.filter( ( item ) => item !== null )
			),
		total: NumberOrNull,
	} )
	.transform( ( { items, total } ) => ( {
		items,
		total: total ?? items.length,
	} ) )
	.catch( { items: [], total: 0 } );
export type SpooledFailures = z.infer< typeof SpooledFailures >;
