import {
	PanelStatusAnswer,
	type CrmStatus,
	type QueueStats,
} from '@pulse-sync/contracts';
import { restRequest } from './client';
import { toPairingState, type PairingState } from './pairing';

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
 * `GET /status`, read by its contract (`PanelStatusAnswer`): every part on its own, for an older
 * bridge too.
 * @param body The answer of GET /status.
 */
export function parseStatus( body: unknown ): PanelStatus {
	const {
		bridge,
		pairing,
		spool,
		plugin_version: pluginVersion,
	} = PanelStatusAnswer.parse( body );
	return {
		bridgeReachable: bridge.reachable,
		bridgeUrl: bridge.url,
		bridgeError: bridge.error,
		bridgeVersion: bridge.status.version,
		pluginVersion,
		queue: bridge.status.queue,
		crm: bridge.status.crm,
		spooled: spool.pending,
		spoolFailed: spool.failed,
		pairing: toPairingState( pairing ),
	};
}

export async function fetchStatus(): Promise< PanelStatus > {
	return parseStatus( await restRequest< unknown >( { path: '/status' } ) );
}
