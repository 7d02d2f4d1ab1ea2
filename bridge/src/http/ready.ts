import type { Route } from './route';

export interface Readiness {
	database: boolean;
	site_configured: boolean;
}

/**
 * `GET /v1/ready` for a supervisor or load balancer: 200 when the database is open and the
 * bridge is paired with a site, else 503. Unsigned (a probe has no secret), so it says which
 * condition fails and nothing else.
 * @param check Reads the two conditions.
 */
export function readyRoute( check: () => Readiness ): Route {
	return {
		method: 'GET',
		path: '/v1/ready',
		signed: false,
		handle: async () => {
			const readiness = check();
			const ready = readiness.database && readiness.site_configured;
			return { status: ready ? 200 : 503, body: { ready, ...readiness } };
		},
	};
}
