import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/errors';
import type { GrantStore } from '../oauth/grants';

/** Laravel's answer to a missing, expired or revoked token. */
export const UNAUTHENTICATED = { error: 'Unauthenticated.' } as const;

export function requireBearer(
	req: IncomingMessage,
	grants: GrantStore
): void {
	const header = req.headers.authorization ?? '';
	const match = /^Bearer\s+(\S+)$/i.exec( header );
	if ( ! match || ! grants.isValidAccessToken( match[ 1 ] as string ) ) {
		throw new HttpError( 401, UNAUTHENTICATED );
	}
}
