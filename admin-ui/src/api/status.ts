import { CrmPace, CrmStatus, QueueStats } from '@pulse-sync/contracts';
import { restRequest } from './client';
import { numberOrNull, recordOr, stringOrNull } from './guards';
import { parsePairingState, type PairingState } from './pairing';

/** The bridge's own answer is checked by its contract; an older bridge sends no `pace`. */
const BridgeCrmStatus = CrmStatus.extend( {
	pace: CrmPace.nullable().catch( null ),
} );

export interface PanelStatus {
	bridgeReachable: boolean;
	bridgeUrl: string | null;
	/** Why the plugin could not reach the bridge, as the plugin words it. */
	bridgeError: string | null;
	bridgeVersion: string | null;
	pluginVersion: string | null;
	queue: QueueStats | null;
	crm: CrmStatus | null;
	/** Deliveries held in the plugin's spool table while the bridge was away. */
	spooled: number | null;
	/** Spooled deliveries the bridge refused (listed by `GET /spool/failed`). */
	spoolFailed: number;
	pairing: PairingState;
}

/**
 * The bridge's CRM status object, or null when it is not one.
 * @param raw The `crm` object of an answer.
 */
export function parseCrmStatus( raw: unknown ): CrmStatus | null {
	const parsed = BridgeCrmStatus.safeParse( raw );
	return parsed.success ? parsed.data : null;
}

/**
 * `GET /status` is `{"bridge":{"url","reachable","error","status"},"pairing":{…},"spool":{"pending","failed","max_rows"},"plugin_version"}`
 * where `status` is the bridge's own `GET /v1/status` answer, or null when it did not answer.
 * @param body The answer of GET /status.
 */
export function parseStatus( body: unknown ): PanelStatus {
	const root = recordOr( body );
	const bridge = recordOr( root.bridge );
	const bridgeStatus = recordOr( bridge.status );
	return {
		bridgeReachable: bridge.reachable === true,
		bridgeUrl: stringOrNull( bridge.url ),
		bridgeError: stringOrNull( bridge.error ),
		bridgeVersion: stringOrNull( bridgeStatus.version ),
		pluginVersion: stringOrNull( root.plugin_version ),
		queue: QueueStats.safeParse( bridgeStatus.queue ).data ?? null,
		crm: parseCrmStatus( bridgeStatus.crm ),
		spooled: numberOrNull( recordOr( root.spool ).pending ),
		spoolFailed: numberOrNull( recordOr( root.spool ).failed ) ?? 0,
		pairing: parsePairingState( root.pairing ),
	};
}

export async function fetchStatus(): Promise< PanelStatus > {
	return parseStatus( await restRequest< unknown >( { path: '/status' } ) );
}
