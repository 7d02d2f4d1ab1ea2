import { restRequest } from './client';
import type { CrmPace, CrmStatus } from './crm';
import { isRecord, numberOrNull, recordOr, stringOrNull } from './guards';
import { parsePairingState, type PairingState } from './pairing';

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
	pluginVersion: string | null;
	queue: QueueStatus | null;
	crm: CrmStatus | null;
	/** Deliveries held in the plugin's spool table while the bridge was away. */
	spooled: number | null;
	/** Spooled deliveries the bridge refused (listed by `GET /spool/failed`). */
	spoolFailed: number;
	pairing: PairingState;
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
		pace: parseCrmPace( raw.pace ),
	};
}

function parseCrmPace( raw: unknown ): CrmPace | null {
	if ( ! isRecord( raw ) ) {
		return null;
	}
	return {
		requests_per_second: numberOrNull( raw.requests_per_second ),
		ceiling: numberOrNull( raw.ceiling ),
		current_per_second: numberOrNull( raw.current_per_second ) ?? 0,
		limited_by_crm: raw.limited_by_crm === true,
		last_limited_at: stringOrNull( raw.last_limited_at ),
	};
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
		queue: parseQueue( bridgeStatus.queue ),
		crm: parseCrmStatus( bridgeStatus.crm ),
		spooled: numberOrNull( recordOr( root.spool ).pending ),
		spoolFailed: numberOrNull( recordOr( root.spool ).failed ) ?? 0,
		pairing: parsePairingState( root.pairing ),
	};
}

export async function fetchStatus(): Promise< PanelStatus > {
	return parseStatus( await restRequest< unknown >( { path: '/status' } ) );
}
