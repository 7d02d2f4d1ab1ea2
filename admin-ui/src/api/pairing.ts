import { restRequest } from './client';
import { recordOr, stringOrNull } from './guards';

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

export function parsePairingState( raw: unknown ): PairingState {
	const pairing = recordOr( raw );
	return {
		paired: pairing.paired === true,
		bridgeUrl: stringOrNull( pairing.bridge_url ),
		version: stringOrNull( pairing.version ),
		pairedAt: stringOrNull( pairing.paired_at ),
		lastSeenAt: stringOrNull( pairing.last_seen_at ),
		previousSecretValidUntil: stringOrNull(
			pairing.previous_secret_valid_until
		),
	};
}

/**
 * `POST /pairing/code` → `{"code","expires_at","command"}`.
 * @param body The answer.
 */
export function parsePairingCode( body: unknown ): PairingCode {
	const root = recordOr( body );
	const code = stringOrNull( root.code );
	const command = stringOrNull( root.command );
	if ( code === null || command === null ) {
		throw new Error( 'The site answered without a pairing code.' );
	}
	return { code, command, expiresAt: stringOrNull( root.expires_at ) ?? '' };
}

export async function generatePairingCode(): Promise< PairingCode > {
	return parsePairingCode(
		await restRequest< unknown >( {
			path: '/pairing/code',
			method: 'POST',
		} )
	);
}
