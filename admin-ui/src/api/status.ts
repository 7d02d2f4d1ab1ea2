import { restRequest } from './client';
import type { CrmStatus } from './crm';
import { isRecord, numberOrNull, recordOr, stringOrNull } from './guards';

export interface QueueStatus {
	pending: number;
	in_progress: number;
	failed: number;
	done: number;
	oldest_pending_at: string | null;
}

export interface PanelStatus {
	bridgeReachable: boolean;
	bridgeUrl: string | null;
	/** Why the plugin could not reach the bridge, as the plugin words it. */
	bridgeError: string | null;
	bridgeVersion: string | null;
	queue: QueueStatus | null;
	crm: CrmStatus | null;
	/** Deliveries held in the plugin's spool table while the bridge was away. */
	spooled: number | null;
}

function parseQueue( raw: unknown ): QueueStatus | null {
	if ( ! isRecord( raw ) ) {
		return null;
	}
	return {
		pending: numberOrNull( raw.pending ) ?? 0,
		in_progress: numberOrNull( raw.in_progress ) ?? 0,
		failed: numberOrNull( raw.failed ) ?? 0,
		done: numberOrNull( raw.done ) ?? 0,
		oldest_pending_at: stringOrNull( raw.oldest_pending_at ),
	};
}

export function parseCrmStatus( raw: unknown ): CrmStatus | null {
	if ( ! isRecord( raw ) ) {
		return null;
	}
	return {
		connected: raw.connected === true,
		account_url: stringOrNull( raw.account_url ),
		expires_at: stringOrNull( raw.expires_at ),
		last_error: stringOrNull( raw.last_error ),
	};
}

/**
 * The plugin wraps the bridge's `GET /v1/status` answer with what it knows itself (could it reach
 * the bridge, how many deliveries wait in its spool). The bridge's part may sit under
 * `bridge.status` or at the top level.
 * @param body The answer of GET /status.
 */
export function parseStatus( body: unknown ): PanelStatus {
	const root = recordOr( body );
	const bridge = recordOr( root.bridge );
	const bridgeStatus = isRecord( bridge.status ) ? bridge.status : root;
	const spool = recordOr( root.spool );
	const reachable = root.bridge_reachable ?? bridge.reachable;
	return {
		bridgeReachable: reachable === true,
		bridgeUrl:
			stringOrNull( bridge.url ) ?? stringOrNull( root.bridge_url ),
		bridgeError:
			stringOrNull( bridge.error ) ?? stringOrNull( root.bridge_error ),
		bridgeVersion:
			stringOrNull( bridgeStatus.version ) ??
			stringOrNull( bridge.version ),
		queue: parseQueue( bridgeStatus.queue ),
		crm: parseCrmStatus( bridgeStatus.crm ),
		spooled: numberOrNull( spool.pending ) ?? numberOrNull( root.spooled ),
	};
}

export async function fetchStatus(): Promise< PanelStatus > {
	return parseStatus( await restRequest< unknown >( { path: '/status' } ) );
}
