import { z } from 'zod';

/** docs/architecture.md, "Bridge → plugin": `GET /wp-json/pulse-sync/v1/bridge/settings`. */

const NonEmpty = z.string().min( 1 );
/** Absent or '' both mean "not entered"; surrounding spaces an owner typed are not part of it. */
const Entered = z
	.string()
	.nullish()
	.transform( ( value ) => ( value ?? '' ).trim() );

export const FieldMappingRow = z.object( { wp: NonEmpty, crm: NonEmpty } );
export type FieldMappingRow = z.infer< typeof FieldMappingRow >;

export const BridgeSettingsAnswer = z.object( {
	rev: z.union( [ z.string(), z.number() ] ).transform( String ),
	field_mapping: z.array( FieldMappingRow ),
	return_password: z.object( {
		enabled: z.boolean(),
		field: z.string().trim(),
	} ),
	/** The daily reconciliation (bridge/src/imports/reconciler.ts); absent from an older plugin: off. */
	reconcile: z
		.object( {
			enabled: z.boolean(),
			tag_ids: z.array( z.number().int().positive() ),
		} )
		.default( { enabled: false, tag_ids: [] } ),
	crm: z.object( {
		account_url: Entered,
		/** '' = derived from the account URL by the bridge (bridge/src/crm/urls.ts). */
		portal_url: Entered,
		client_id: Entered,
		client_secret: Entered,
	} ),
} );
export type BridgeSettingsAnswer = z.infer< typeof BridgeSettingsAnswer >;
