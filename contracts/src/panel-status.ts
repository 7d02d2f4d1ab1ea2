import { z } from 'zod/mini';
import { NumberOrNull, TextOrNull, TrueOrFalse } from './lenient';
import { PairingSummary } from './pairing';
import { CrmPace, CrmStatus, QueueStats } from './status';

/**
 * docs/architecture.md, "Panel → plugin": `GET /status` is
 * `{"bridge":{"url","reachable","error","status"},"pairing":{…},"spool":{"pending","failed","max_rows"},"plugin_version"}`
 * where `status` is the bridge's own `GET /v1/status` answer, or null when it did not answer.
 */

/** The bridge's answer as the panel reads it: each part on its own, for an older bridge too. */
const BridgeStatus = z.catch(
	z.object( {
		version: TextOrNull,
		queue: z.catch( z.nullable( QueueStats ), null ),
		/** An older bridge sends no `pace`. */
		crm: z.catch(
			z.nullable(
				z.extend( CrmStatus, {
					pace: z.catch( z.nullable( CrmPace ), null ),
				} )
			),
			null
		),
	} ),
	{ version: null, queue: null, crm: null }
);

const PanelStatusFields = z.object( {
	bridge: z.catch(
		z.object( {
			url: TextOrNull,
			reachable: TrueOrFalse,
			/** Why the plugin could not reach the bridge, as the plugin words it. */
			error: TextOrNull,
			status: BridgeStatus,
		} ),
		() => ( {
			url: null,
			reachable: false,
			error: null,
			status: BridgeStatus.parse( null ),
		} )
	),
	pairing: PairingSummary,
	/** Deliveries held in the plugin's spool table while the bridge was away. */
	spool: z.catch(
		z.object( {
			pending: NumberOrNull,
			failed: z.catch( z.number(), 0 ),
		} ),
		{ pending: null, failed: 0 }
	),
	plugin_version: TextOrNull,
} );

/** Never fails: a garbled answer reads as an unreachable, unpaired bridge. */
export const PanelStatusAnswer = z.catch( PanelStatusFields, () =>
	PanelStatusFields.parse( {} )
);
export type PanelStatusAnswer = z.infer< typeof PanelStatusAnswer >;
