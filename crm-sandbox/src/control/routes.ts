import type { Handler, Router } from '../http/router';
import type { SandboxState } from '../state';
import { registerDataControl } from './data-routes';
import { registerFaultControl } from './fault-routes';
import { registerOAuthControl } from './oauth-routes';
import { registerRateLimitControl } from './rate-limit-routes';
import { registerWebhookControl } from './webhook-routes';

export const CONTROL_PREFIX = '/__sandbox';

/** Registers a control route; `path` is relative to `/__sandbox/`. */
export type ControlRoute = (
	method: string,
	path: string,
	handler: Handler
) => void;

/**
 * The control API for tests and the local stack: JSON, no authentication, never part of the real
 * CRM. Requests to it are neither logged nor faulted, so a test can watch the API undisturbed.
 */
export function registerControlRoutes(
	router: Router,
	state: SandboxState
): void {
	const control: ControlRoute = ( method, path, handler ) => {
		router.add( method, `${ CONTROL_PREFIX }/${ path }`, handler );
	};
	registerDataControl( control, state );
	registerFaultControl( control, state );
	registerOAuthControl( control, state );
	registerRateLimitControl( control, state );
	registerWebhookControl( control, state );
}
