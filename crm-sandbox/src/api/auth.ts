import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/errors';
import type { GrantStore } from '../oauth/grants';

/** Laravel's answer to a missing, expired or revoked token. */
export const UNAUTHENTICATED = { error: 'Unauthenticated.' } as const;

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken( req: IncomingMessage ): string | null {
	const match = /^Bearer\s+(\S+)$/i.exec( req.headers.authorization ?? '' );
	return match ? ( match[ 1 ] as string ) : null;
}

export function requireBearer(
	req: IncomingMessage,
	grants: GrantStore
): void {
	const token = bearerToken( req );
	if ( token === null || ! grants.isValidAccessToken( token ) ) {
		throw new HttpError( 401, UNAUTHENTICATED );
	}
}
