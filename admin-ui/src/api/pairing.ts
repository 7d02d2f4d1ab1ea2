import { PairingCodeAnswer, type PairingSummary } from '@pulse-sync/contracts';
import { restRequest } from './client';

/** A one-time pairing code and the command a bridge pairs with (no secret: the bridge fetches it). */
export interface PairingCode {
	code: string;
	expiresAt: string;
	command: string;
}

/** The Status screen's view of the paired bridge (`GET /status` → `pairing`). */
export interface PairingState {
	/** True when the configured bridge URL is the one that paired. */
	paired: boolean;
	bridgeUrl: string | null;
	version: string | null;
	pairedAt: string | null;
	lastSeenAt: string | null;
	/** While a re-pairing's overlap lasts, the previous secret is still accepted until then. */
	previousSecretValidUntil: string | null;
}

/**
 * The Status screen's view of the contract's pairing summary.
 * @param pairing `GET /status` → `pairing`, as checked by its contract.
 */
export function toPairingState( pairing: PairingSummary ): PairingState {
	return {
		paired: pairing.paired,
		bridgeUrl: pairing.bridge_url,
		version: pairing.version,
		pairedAt: pairing.paired_at,
		lastSeenAt: pairing.last_seen_at,
		previousSecretValidUntil: pairing.previous_secret_valid_until,
	};
}

/**
 * `POST /pairing/code` → `{"code","expires_at","command"}`.
 * @param body The answer.
 */
export function parsePairingCode( body: unknown ): PairingCode {
	const parsed = PairingCodeAnswer.safeParse( body );
	if ( ! parsed.success ) {
		throw new Error( 'The site answered without a pairing code.' );
	}
	const { code, command, expires_at: expiresAt } = parsed.data;
	return { code, command, expiresAt };
}

export async function generatePairingCode(): Promise< PairingCode > {
	return parsePairingCode(
		await restRequest< unknown >( {
			path: '/pairing/code',
			method: 'POST',
		} )
	);
}
