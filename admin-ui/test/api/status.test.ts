import { parseStatus } from '../../src/api/status';

describe( 'parseStatus', () => {
	it( 'reads the bridge status nested under bridge.status', () => {
		const status = parseStatus( {
			bridge: {
				reachable: true,
				url: 'http://127.0.0.1:8787',
				status: {
					version: '0.1.0',
					queue: {
						pending: 3,
						in_progress: 1,
						failed: 2,
						done: 9,
						oldest_pending_at: '2026-11-28T10:00:00Z',
					},
					crm: {
						connected: true,
						account_url: 'https://acme.example',
						expires_at: null,
						last_error: null,
						pace: {
							requests_per_second: 48.5,
							ceiling: null,
							current_per_second: 47,
							limited_by_crm: true,
							last_limited_at: '2026-11-28T10:00:00.000Z',
						},
					},
				},
			},
			pairing: {
				paired: true,
				bridge_url: 'https://bridge.example',
				version: '0.1.0',
				paired_at: '2026-11-28T09:00:00Z',
				last_seen_at: '2026-11-28T10:00:00Z',
				previous_secret_valid_until: '2026-11-28T09:10:00Z',
			},
			spool: { pending: 4, failed: 2, max_rows: 50000 },
		} );
		expect( status ).toEqual( {
			bridgeReachable: true,
			bridgeUrl: 'http://127.0.0.1:8787',
			bridgeError: null,
			bridgeVersion: '0.1.0',
			queue: {
				pending: 3,
				in_progress: 1,
				failed: 2,
				done: 9,
				oldest_pending_at: '2026-11-28T10:00:00Z',
			},
			crm: {
				connected: true,
				account_url: 'https://acme.example',
				expires_at: null,
				last_error: null,
				pace: {
					requests_per_second: 48.5,
					ceiling: null,
					current_per_second: 47,
					limited_by_crm: true,
					last_limited_at: '2026-11-28T10:00:00.000Z',
				},
			},
			pluginVersion: null,
			spooled: 4,
			spoolFailed: 2,
			pairing: {
				paired: true,
				bridgeUrl: 'https://bridge.example',
				version: '0.1.0',
				pairedAt: '2026-11-28T09:00:00Z',
				lastSeenAt: '2026-11-28T10:00:00Z',
				previousSecretValidUntil: '2026-11-28T09:10:00Z',
			},
		} );
	} );

	it( 'treats anything but reachable: true as unreachable and keeps the error', () => {
		const status = parseStatus( {
			bridge: {
				url: 'http://127.0.0.1:8787',
				reachable: false,
				error: 'Connection refused',
				status: null,
			},
			spool: { pending: 0 },
			plugin_version: '0.1.0',
		} );
		expect( status ).toEqual( {
			bridgeReachable: false,
			bridgeUrl: 'http://127.0.0.1:8787',
			bridgeError: 'Connection refused',
			bridgeVersion: null,
			pluginVersion: '0.1.0',
			queue: null,
			crm: null,
			spooled: 0,
			spoolFailed: 0,
			// A plugin without pairing (or a garbled answer) reads as "not paired".
			pairing: {
				paired: false,
				bridgeUrl: null,
				version: null,
				pairedAt: null,
				lastSeenAt: null,
				previousSecretValidUntil: null,
			},
		} );
	} );
} );
