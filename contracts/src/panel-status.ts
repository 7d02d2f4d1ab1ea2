import { z } from 'zod';
import { NumberOrNull, TextOrNull, TrueOrFalse } from './lenient';
import { PairingSummary } from './pairing';
import { CrmPace, CrmStatus, QueueStats } from './status';

/**
 * docs/architecture.md, "Panel → plugin": `GET /status` is
 * `{"bridge":{"url","reachable","error","status"},"pairing":{…},"spool":{"pending","failed","max_rows"},"plugin_version"}`
 * where `status` is the bridge's own `GET /v1/status` answer, or null when it did not answer.
 */

/** The bridge's answer as the panel reads it: each part on its own, for an older bridge too. */
const BridgeStatus = z
	.object( {
		version: TextOrNull,
		queue: QueueStats.nullable().catch( null ),
		/** An older bridge sends no `pace`. */
		crm: CrmStatus.extend( { pace: CrmPace.nullable().catch( null ) } )
			.nullable()
			.catch( null ),
	} )
	.catch( { version: null, queue: null, crm: null } );

const PanelStatusFields = z.object( {
	bridge: z
		.object( {
			url: TextOrNull,
			reachable: TrueOrFalse,
			/** Why the plugin could not reach the bridge, as the plugin words it. */
			error: TextOrNull,
			status: BridgeStatus,
		} )
		.catch( {
			url: null,
			reachable: false,
			error: null,
			status: BridgeStatus.parse( null ),
		} ),
	pairing: PairingSummary,
	/** Deliveries held in the plugin's spool table while the bridge was away. */
	spool: z
		.object( {
			pending: NumberOrNull,
			failed: z.number().catch( 0 ),
		} )
		.catch( { pending: null, failed: 0 } ),
	plugin_version: TextOrNull,
} );

/** Never fails: a garbled answer reads as an unreachable, unpaired bridge. */
export const PanelStatusAnswer = PanelStatusFields.catch( () =>
	PanelStatusFields.parse( {} )
);
export type PanelStatusAnswer = z.infer< typeof PanelStatusAnswer >;
