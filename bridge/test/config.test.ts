import path from 'node:path';
import { ConfigError, loadConfig, parseSchedule } from '../src/config';

const SECRET = `whsec_${ Buffer.alloc( 32, 7 ).toString( 'base64' ) }`;
const REQUIRED = {
	PULSE_SYNC_SITE_URL: 'http://127.0.0.1:8080/',
	PULSE_SYNC_BRIDGE_SECRET: SECRET,
};

function problemsOf( env: Record< string, string > ): string[] {
	try {
		loadConfig( env, '/srv' );
	} catch ( error ) {
		expect( error ).toBeInstanceOf( ConfigError );
		return ( error as ConfigError ).problems;
	}
	throw new Error( 'expected a ConfigError' );
}

describe( 'loadConfig', () => {
	it( 'applies the documented defaults', () => {
		const config = loadConfig( REQUIRED, '/srv' );
		expect( config ).toEqual( {
			host: '127.0.0.1',
			port: 8787,
			siteUrl: 'http://127.0.0.1:8080',
			secret: SECRET,
			dbPath: path.resolve( '/srv', 'pulse-sync-bridge.db' ),
			crmConcurrency: 4,
			crmRequestsPerSecond: 10,
			wpConcurrency: 2,
			workers: 4,
			retryScheduleMs: [
				30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000,
				14_400_000, 28_800_000, 28_800_000,
			],
			logRetentionDays: 30,
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
				PULSE_SYNC_WORKERS: '6',
				PULSE_SYNC_RETRY_SCHEDULE: '100ms, 2s',
				PULSE_SYNC_LOG_RETENTION_DAYS: '7',
			},
			'/srv'
		);
		expect( config ).toMatchObject( {
			host: '0.0.0.0',
			port: 0,
			dbPath: '/srv/data/q.db',
			crmConcurrency: 8,
			crmRequestsPerSecond: 25,
			wpConcurrency: 3,
			workers: 6,
			retryScheduleMs: [ 100, 2000 ],
			logRetentionDays: 7,
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
} );

describe( 'parseSchedule', () => {
	it( 'knows ms, s, m, h and "none"', () => {
		expect( parseSchedule( '5ms,1s,1m,1h' ) ).toEqual( [
			5, 1000, 60_000, 3_600_000,
		] );
		expect( parseSchedule( 'none' ) ).toEqual( [] );
	} );
} );
