import type { CrmConnection, CrmStatus } from '../crm-connection';
import type { Queue } from '../queue/queue';
import type { SettingsSource } from '../settings';
import { BRIDGE_VERSION } from '../version';
import type { Route } from './route';

export function statusRoutes(
	queue: Queue,
	settings: SettingsSource,
	connection: CrmConnection
): Route[] {
	return [
		{
			method: 'GET',
			path: '/v1/health',
			// Unsigned so that probes and the panel's pairing check work without the secret; it
			// therefore says nothing but "alive" and the version.
			signed: false,
			handle: async () => ( {
				status: 200,
				body: { ok: true, version: BRIDGE_VERSION },
			} ),
		},
		{
			method: 'GET',
			path: '/v1/status',
			signed: true,
			handle: async () => ( {
				status: 200,
				body: {
					version: BRIDGE_VERSION,
					queue: await queue.stats(),
					crm: await crmStatus( settings, connection ),
				},
			} ),
		},
	];
}

/**
 * The status screen must load even when the settings cannot: then it shows why.
 * @param settings   The settings cache.
 * @param connection The CRM client holder.
 */
async function crmStatus(
	settings: SettingsSource,
	connection: CrmConnection
): Promise< CrmStatus > {
	try {
		return await connection.status( ( await settings.current() ).crm );
	} catch ( error ) {
		return {
			connected: false,
			account_url: null,
			expires_at: null,
			last_error: `settings_unavailable: ${ ( error as Error ).message }`,
			pace: null,
		};
	}
}
