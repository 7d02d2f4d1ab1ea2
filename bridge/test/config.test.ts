import {
	ConfigError,
	loadConfig,
	parseSchedule,
	type ConfigSources,
} from '../src/config';

const SECRET = `whsec_${ Buffer.alloc( 32, 7 ).toString( 'base64' ) }`;
const OTHER_SECRET = `whsec_${ Buffer.alloc( 32, 8 ).toString( 'base64' ) }`;
const REQUIRED = {
	PULSE_SYNC_SITE_URL: 'http://127.0.0.1:8080/',
	PULSE_SYNC_BRIDGE_SECRET: SECRET,
};

function problemsOf(
	env: Record< string, string >,
	sources: ConfigSources = {}
): string[] {
	try {
		loadConfig( env, '/srv', sources );
	} catch ( error ) {
		expect( error ).toBeInstanceOf( ConfigError );
		return ( error as ConfigError ).problems;
	}
	throw new Error( 'expected a ConfigError' );
}

describe( 'loadConfig', () => {
	it( 'applies the documented defaults', () => {
		const config = loadConfig( REQUIRED, '/srv', { uid: 0 } );
		expect( config ).toEqual( {
			dataDir: '/var/lib/pulse-sync-bridge',
			host: '127.0.0.1',
			port: 8787,
			publicUrl: 'http://127.0.0.1:8787',
			allowHttpSite: false,
			siteUrl: 'http://127.0.0.1:8080',
			sites: [],
			secrets: [ SECRET ],
			previousSecretUntil: null,
			dbPath: '/var/lib/pulse-sync-bridge/bridge.db',
			databaseUrl: null,
			queueLeaseMs: 300_000,
			crmConcurrency: 64,
			crmRequestsPerSecond: null,
			wpConcurrency: 2,
			wpBatchSize: 50,
			workers: 48,
			retryScheduleMs: [
				30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000,
				14_400_000, 28_800_000, 28_800_000,
			],
			logRetentionDays: 30,
			stormRatePerSecond: 20,
			stormSettleMs: 60_000,
			stormSettleCapMs: 300_000,
			shutdownGraceMs: 8000,
		} );
		const totalHours =
			config.retryScheduleMs.reduce( ( sum, ms ) => sum + ms, 0 ) /
			3_600_000;
		expect( totalHours ).toBeGreaterThan( 20 );
		expect( totalHours ).toBeLessThan( 28 );
	} );

	it( 'reads every variable', () => {
		const config = loadConfig(
			{
				...REQUIRED,
				PULSE_SYNC_BRIDGE_HOST: '0.0.0.0',
				PULSE_SYNC_BRIDGE_PORT: '0',
				PULSE_SYNC_BRIDGE_DB: 'data/q.db',
				PULSE_SYNC_CRM_CONCURRENCY: '8',
				PULSE_SYNC_CRM_REQUESTS_PER_SECOND: '25',
				PULSE_SYNC_WP_CONCURRENCY: '3',
				PULSE_SYNC_WP_BATCH_SIZE: '10',
				PULSE_SYNC_WORKERS: '6',
				PULSE_SYNC_RETRY_SCHEDULE: '100ms, 2s',
				PULSE_SYNC_LOG_RETENTION_DAYS: '7',
				PULSE_SYNC_STORM_RATE: '0',
				PULSE_SYNC_STORM_SETTLE: '1m',
				PULSE_SYNC_STORM_SETTLE_CAP: '2h',
				PULSE_SYNC_SHUTDOWN_GRACE: '20s',
				PULSE_SYNC_DATA_DIR: 'state',
				PULSE_SYNC_BRIDGE_PUBLIC_URL: 'https://bridge.example/pulse/',
			},
			'/srv'
		);
		expect( config ).toMatchObject( {
			host: '0.0.0.0',
			port: 0,
			dataDir: '/srv/state',
			publicUrl: 'https://bridge.example/pulse',
			shutdownGraceMs: 20_000,
			dbPath: '/srv/data/q.db',
			crmConcurrency: 8,
			crmRequestsPerSecond: 25,
			wpConcurrency: 3,
			wpBatchSize: 10,
			workers: 6,
			retryScheduleMs: [ 100, 2000 ],
			logRetentionDays: 7,
			stormRatePerSecond: 0,
			stormSettleMs: 60_000,
			stormSettleCapMs: 7_200_000,
		} );
	} );

	it( 'lists every bad value at once, without echoing the secret', () => {
		const problems = problemsOf( {
			PULSE_SYNC_SITE_URL: 'ftp://example.com',
			PULSE_SYNC_BRIDGE_SECRET: 'whsec_c2hvcnQ=',
			PULSE_SYNC_BRIDGE_PORT: '70000',
			PULSE_SYNC_WORKERS: 'many',
			PULSE_SYNC_RETRY_SCHEDULE: '30s,soon',
		} );
		expect( problems ).toHaveLength( 5 );
		expect( problems.join( '\n' ) ).toMatch(
			/PULSE_SYNC_SITE_URL: must be an http/
		);
		expect( problems.join( '\n' ) ).toMatch(
			/PULSE_SYNC_BRIDGE_PORT: must be between 0 and 65535/
		);
		expect( problems.join( '\n' ) ).toMatch(
			/PULSE_SYNC_WORKERS: expected a whole number/
		);
		expect( problems.join( '\n' ) ).toMatch( /"soon" is not a duration/ );
		expect( problems.join( '\n' ) ).not.toContain( 'c2hvcnQ' );
	} );

	it( 'keeps the batch size within what the plugin accepts by default', () => {
		for ( const size of [ '0', '51', 'ten' ] ) {
			expect(
				problemsOf( { ...REQUIRED, PULSE_SYNC_WP_BATCH_SIZE: size } )
			).toEqual( [
				expect.stringMatching( /^PULSE_SYNC_WP_BATCH_SIZE: / ),
			] );
		}
		expect(
			loadConfig( { ...REQUIRED, PULSE_SYNC_WP_BATCH_SIZE: '50' } )
				.wpBatchSize
		).toBe( 50 );
	} );

	it( 'refuses an http:// site URL that is not loopback unless PULSE_SYNC_ALLOW_HTTP_SITE=1 (signed batches carry passwords)', () => {
		for ( const url of [
			'http://shop.example',
			'http://10.0.0.5:8080',
			'http://127.example.com',
			'http://[::2]',
		] ) {
			expect(
				problemsOf( { ...REQUIRED, PULSE_SYNC_SITE_URL: url } )
			).toEqual( [
				expect.stringMatching(
					/^PULSE_SYNC_SITE_URL: must be an https:\/\/ URL/
				),
			] );
			expect(
				loadConfig( {
					...REQUIRED,
					PULSE_SYNC_SITE_URL: url,
					PULSE_SYNC_ALLOW_HTTP_SITE: '1',
				} ).siteUrl
			).toBe( url );
		}
		for ( const url of [
			'http://localhost:8080',
			'http://127.0.0.2',
			'http://[::1]:8080',
			'https://shop.example',
		] ) {
			expect(
				loadConfig( { ...REQUIRED, PULSE_SYNC_SITE_URL: url } ).siteUrl
			).toBe( url );
		}
		expect(
			problemsOf( { ...REQUIRED, PULSE_SYNC_ALLOW_HTTP_SITE: 'yes' } )
		).toEqual( [
			'PULSE_SYNC_ALLOW_HTTP_SITE: must be 0 or 1, got "yes"',
		] );
	} );

	it( 'requires the site URL and the secret', () => {
		expect( problemsOf( {} ) ).toEqual( [
			'PULSE_SYNC_SITE_URL is required',
			'PULSE_SYNC_BRIDGE_SECRET is required',
		] );
	} );

	it( 'refuses a zero worker count and a secret without the whsec_ prefix', () => {
		const problems = problemsOf( {
			...REQUIRED,
			PULSE_SYNC_WORKERS: '0',
			PULSE_SYNC_BRIDGE_SECRET: Buffer.alloc( 32, 1 ).toString(
				'base64'
			),
		} );
		expect( problems ).toHaveLength( 2 );
	} );

	it( 'refuses bad storm settings, and a settle cap shorter than the settle time', () => {
		expect(
			problemsOf( {
				...REQUIRED,
				PULSE_SYNC_STORM_RATE: '-1',
				PULSE_SYNC_STORM_SETTLE: '30',
				PULSE_SYNC_STORM_SETTLE_CAP: '25h',
			} )
		).toEqual( [
			'PULSE_SYNC_STORM_RATE: expected a whole number, got "-1"',
			'PULSE_SYNC_STORM_SETTLE: "30" is not a duration like 30s, 2m or 1h',
			'PULSE_SYNC_STORM_SETTLE_CAP: must be at most 1440 minutes, got "25h"',
		] );
		expect(
			problemsOf( {
				...REQUIRED,
				PULSE_SYNC_STORM_SETTLE: '2m',
				PULSE_SYNC_STORM_SETTLE_CAP: '1m',
			} )
		).toEqual( [
			'PULSE_SYNC_STORM_SETTLE_CAP must not be shorter than PULSE_SYNC_STORM_SETTLE',
		] );
		// 0s turns settling off while storms still stop the waiting.
		expect(
			loadConfig( { ...REQUIRED, PULSE_SYNC_STORM_SETTLE: '0s' } )
				.stormSettleMs
		).toBe( 0 );
	} );
} );

describe( 'loadConfig sources', () => {
	const FILE = {
		siteUrl: 'https://site.example',
		secret: SECRET,
		port: 9000,
		workers: '2',
	};

	it( 'takes a shared PostgreSQL database by --database or PULSE_SYNC_DATABASE_URL, never with a password in it', () => {
		expect(
			loadConfig( REQUIRED, '/srv', {
				flags: { database: 'postgres://db.internal:5432/pulse' },
			} ).databaseUrl
		).toBe( 'postgres://db.internal:5432/pulse' );
		expect(
			loadConfig(
				{
					...REQUIRED,
					PULSE_SYNC_DATABASE_URL: 'postgresql://pg/sync',
				},
				'/srv'
			).databaseUrl
		).toBe( 'postgresql://pg/sync' );
		for ( const bad of [
			'postgres://sync:hunter2@db/pulse',
			'mysql://db/pulse',
			'postgres://db',
		] ) {
			const problems = problemsOf( {
				...REQUIRED,
				PULSE_SYNC_DATABASE_URL: bad,
			} );
			expect( problems ).toHaveLength( 1 );
			expect( problems[ 0 ] ).toContain( 'PULSE_SYNC_DATABASE_URL' );
			expect( problems.join( ' ' ) ).not.toContain( 'hunter2' );
		}
	} );

	it( 'takes a flag over the environment, the environment over config.json, config.json over the default', () => {
		const config = loadConfig( { PULSE_SYNC_WORKERS: '3' }, '/srv', {
			flags: { port: '9100' },
			file: { ...FILE, host: '127.0.0.2' },
		} );
		expect( config ).toMatchObject( {
			port: 9100,
			workers: 3,
			host: '127.0.0.2',
			siteUrl: 'https://site.example',
			secrets: [ SECRET ],
			crmConcurrency: 64,
			publicUrl: 'http://127.0.0.2:9100',
		} );
	} );

	it( 'names the source of each bad value, flag or file', () => {
		expect(
			problemsOf(
				{},
				{ flags: { port: 'x' }, file: { ...FILE, workers: 99 } }
			)
		).toEqual( [
			'--port: expected a whole number, got "x"',
			'config.json "workers": must be between 1 and 64, got 99',
		] );
	} );

	it( 'puts the previous secret after the current one, with its overlap end', () => {
		const config = loadConfig( {}, '/srv', {
			file: {
				...FILE,
				previousSecret: OTHER_SECRET,
				previousSecretUntil: '2030-01-01T00:10:00Z',
			},
		} );
		expect( config.secrets ).toEqual( [ SECRET, OTHER_SECRET ] );
		expect( config.previousSecretUntil ).toBe(
			Date.parse( '2030-01-01T00:10:00Z' )
		);
	} );

	it( 'reads the further sites of config.json "sites", and names each bad entry without its secret', () => {
		const config = loadConfig( {}, '/srv', {
			file: {
				...FILE,
				sites: [
					{
						id: 'abcdefgh23',
						siteUrl: 'https://shop.example/',
						secret: OTHER_SECRET,
						previousSecret: SECRET,
						previousSecretUntil: '2030-01-01T00:10:00Z',
						pairedAt: '2029-12-31T00:00:00Z',
					},
				],
			},
		} );
		expect( config.sites ).toEqual( [
			{
				id: 'abcdefgh23',
				siteUrl: 'https://shop.example',
				secrets: [ OTHER_SECRET, SECRET ],
				previousSecretUntil: Date.parse( '2030-01-01T00:10:00Z' ),
				pairedAt: '2029-12-31T00:00:00Z',
			},
		] );
		const problems = problemsOf(
			{},
			{
				file: {
					...FILE,
					sites: [
						{
							id: 'UPPER',
							siteUrl: 'https://a.example',
							secret: SECRET,
						},
						{
							id: 'abcdefgh23',
							siteUrl: 'https://b.example',
							secret: 'whsec_short',
						},
						{
							id: 'abcdefgh22',
							siteUrl: 'https://c.example',
							secret: SECRET,
						},
						{
							id: 'abcdefgh22',
							siteUrl: 'https://d.example',
							secret: SECRET,
						},
					],
				},
			}
		);
		expect( problems ).toHaveLength( 3 );
		expect( problems[ 0 ] ).toContain( 'config.json "sites"[0]: "id"' );
		expect( problems[ 1 ] ).toContain(
			'config.json "sites"[1]: must be "whsec_"'
		);
		expect( problems[ 2 ] ).toContain( 'repeats the id or URL' );
		expect( problems.join( ' ' ) ).not.toContain( SECRET );
	} );

	it( 'lets an unpaired bridge start when told so', () => {
		const config = loadConfig( {}, '/srv', { requireSite: false } );
		expect( config.siteUrl ).toBeNull();
		expect( config.secrets ).toEqual( [] );
	} );

	it( 'keeps its data in /var/lib as root and in the XDG state folder otherwise', () => {
		const dataDir = ( env: Record< string, string >, uid: number ) =>
			loadConfig( { ...REQUIRED, ...env }, '/srv', {
				uid,
				home: '/home/owner',
			} ).dataDir;
		expect( dataDir( {}, 0 ) ).toBe( '/var/lib/pulse-sync-bridge' );
		expect( dataDir( {}, 1000 ) ).toBe(
			'/home/owner/.local/state/pulse-sync-bridge'
		);
		expect( dataDir( { XDG_STATE_HOME: '/xdg' }, 1000 ) ).toBe(
			'/xdg/pulse-sync-bridge'
		);
		expect(
			loadConfig( REQUIRED, '/srv', {
				uid: 1000,
				flags: { 'data-dir': '/opt/bridge' },
			} ).dbPath
		).toBe( '/opt/bridge/bridge.db' );
	} );
} );

describe( 'parseSchedule', () => {
	it( 'knows ms, s, m, h and "none"', () => {
		expect( parseSchedule( '5ms,1s,1m,1h' ) ).toEqual( [
			5, 1000, 60_000, 3_600_000,
		] );
		expect( parseSchedule( 'none' ) ).toEqual( [] );
	} );
} );
