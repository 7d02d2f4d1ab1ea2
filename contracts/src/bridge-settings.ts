import { z } from 'zod/mini';

/** docs/architecture.md, "Bridge → plugin": `GET /wp-json/pulse-sync/v1/bridge/settings`. */

const NonEmpty = z.string().check( z.minLength( 1 ) );
/** Absent or '' both mean "not entered"; surrounding spaces an owner typed are not part of it. */
const Entered = z.pipe(
	z.nullish( z.string() ),
	z.transform( ( value ) => ( value ?? '' ).trim() )
);

export const FieldMappingRow = z.object( { wp: NonEmpty, crm: NonEmpty } );
export type FieldMappingRow = z.infer< typeof FieldMappingRow >;

export const BridgeSettingsAnswer = z.object( {
	rev: z.pipe( z.union( [ z.string(), z.number() ] ), z.transform( String ) ),
	field_mapping: z.array( FieldMappingRow ),
	return_password: z.object( {
		enabled: z.boolean(),
		field: z.string().check( z.trim() ),
	} ),
	/** The daily reconciliation (bridge/src/imports/reconciler.ts); absent from an older plugin: off. */
	reconcile: z._default(
		z.object( {
			enabled: z.boolean(),
			tag_ids: z.array( z.int().check( z.positive() ) ),
		} ),
		{ enabled: false, tag_ids: [] }
	),
	crm: z.object( {
		account_url: Entered,
		/** '' = derived from the account URL by the bridge (bridge/src/crm/urls.ts). */
		portal_url: Entered,
		client_id: Entered,
		client_secret: Entered,
	} ),
} );
export type BridgeSettingsAnswer = z.infer< typeof BridgeSettingsAnswer >;
