import { readJsonBody } from '../http/body';
import { HttpError } from '../http/errors';
import { sendJson } from '../http/respond';
import { OAuthError } from '../oauth/grants';
import type { SandboxState } from '../state';
import type { ControlRoute } from './routes';
import { integerIn } from './validate';

/** Codes without a browser, and tokens that expire or vanish on demand. */
export function registerOAuthControl(
	control: ControlRoute,
	state: SandboxState
): void {
	control( 'POST', 'oauth/code', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		try {
			sendJson( res, 201, {
				code: state.grants.issueCode(
					String( body.client_id ?? '' ),
					String( body.redirect_uri ?? '' )
				),
			} );
		} catch ( error ) {
			if ( error instanceof OAuthError ) {
				throw new HttpError( 400, {
					error: error.error,
					error_description: error.description,
				} );
			}
			throw error;
		}
	} );

	control( 'POST', 'tokens/expire', ( { res } ) =>
		sendJson( res, 200, { expired: state.grants.expireAccessTokens() } )
	);

	control( 'POST', 'tokens/revoke', ( { res } ) => {
		state.grants.revokeAll();
		sendJson( res, 200, { ok: true } );
	} );

	control( 'POST', 'tokens/ttl', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		state.grants.tokenTtlSeconds = integerIn(
			body.seconds,
			'seconds',
			1,
			86400 * 365
		);
		sendJson( res, 200, { seconds: state.grants.tokenTtlSeconds } );
	} );
}
