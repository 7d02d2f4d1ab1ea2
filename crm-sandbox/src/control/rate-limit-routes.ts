import { readJsonBody } from '../http/body';
import { sendJson } from '../http/respond';
import type { SandboxState } from '../state';
import { parseRateLimit } from './rate-limit';
import type { ControlRoute } from './routes';

/** The CRM's rate limit per token, and how many calls it let through and refused. */
export function registerRateLimitControl(
	control: ControlRoute,
	state: SandboxState
): void {
	control( 'GET', 'rate-limit', ( { res } ) =>
		sendJson( res, 200, state.rateLimit.counters() )
	);

	control( 'POST', 'rate-limit', async ( { req, res } ) => {
		state.rateLimit.set( parseRateLimit( await readJsonBody( req ) ) );
		sendJson( res, 200, state.rateLimit.counters() );
	} );

	control( 'DELETE', 'rate-limit', ( { res } ) => {
		state.rateLimit.set( null );
		sendJson( res, 200, state.rateLimit.counters() );
	} );
}
