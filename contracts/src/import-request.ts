import { z } from 'zod/mini';
import { Role } from './delivery-request';
import { queryInteger } from './text';

/**
 * docs/architecture.md, "Import, resync and reconciliation": the body of `POST /v1/imports` (the
 * panel's `POST /imports`, relayed by the plugin). Each check's message completes
 * "<field> must be …", which is what the bridge answers in its 400.
 */

const Flag = z._default(
	z.optional( z.boolean( { error: 'true or false' } ) ),
	false
);

export const ImportRequest = z.discriminatedUnion(
	'kind',
	[
		z.object( {
			kind: z.literal( 'import' ),
			tag_id: z
				.int( { error: 'a positive whole number' } )
				.check( z.positive( { error: 'a positive whole number' } ) ),
			role: Role,
			send_notification: Flag,
		} ),
		z.object( {
			kind: z.literal( 'resync' ),
			/** Reload the mapped fields too (an `update`), not only the tags (`update_tags`). */
			mapped_fields: Flag,
		} ),
	],
	{ error: 'one of import, resync' }
);
export type ImportRequest = z.infer< typeof ImportRequest >;

/** The query of `GET /v1/imports/preview`: how many contacts carry the tag. */
export const ImportPreviewQuery = z.object( {
	tag_id: queryInteger( 1, Number.MAX_SAFE_INTEGER ),
} );
export type ImportPreviewQuery = z.output< typeof ImportPreviewQuery >;
