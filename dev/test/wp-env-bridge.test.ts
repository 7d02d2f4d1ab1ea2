/**
 * `npm run wp-env:bridge` and .wp-env.json, without Docker (none runs on these machines): what the
 * command decides to run, and that the wp-env configuration activates the plugin it maps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/paths';
import { BRIDGE_BIN } from '../src/services';
import {
	bridgeListenHost,
	wpEnvPlan,
	wpEnvPort,
	type WpEnvOptions,
} from '../src/wp-env-bridge';

const options = ( overrides: Partial< WpEnvOptions > = {} ): WpEnvOptions => ( {
	config: {},
	env: {},
	platform: 'linux',
	dockerBridgeAddress: '172.17.0.1',
	stateDir: '/tmp/state',
	bridgePort: 8787,
	crmPort: 8790,
	...overrides,
} );

describe( 'wpEnvPort', () => {
	test( 'WP_ENV_PORT, then .wp-env.json port, then 8888', () => {
		expect( wpEnvPort( {}, {} ) ).toBe( 8888 );
		expect( wpEnvPort( { port: 8000 }, {} ) ).toBe( 8000 );
		expect( wpEnvPort( { port: 8000 }, { WP_ENV_PORT: '9001' } ) ).toBe(
			9001
		);
	} );

	test( 'refuses what is not a port', () => {
		expect( () => wpEnvPort( {}, { WP_ENV_PORT: '99999' } ) ).toThrow(
			/port/
		);
		expect( () => wpEnvPort( {}, { WP_ENV_PORT: 'eight' } ) ).toThrow(
			/port/
		);
	} );
} );

describe( 'bridgeListenHost', () => {
	test( 'Docker Desktop forwards host.docker.internal to loopback', () => {
		expect( bridgeListenHost( 'darwin', null ) ).toBe( '127.0.0.1' );
		expect( bridgeListenHost( 'win32', null ) ).toBe( '127.0.0.1' );
	} );

	test( 'on Linux the bridge listens on the docker0 address, never on every address', () => {
		expect( bridgeListenHost( 'linux', '172.17.0.1' ) ).toBe(
			'172.17.0.1'
		);
		expect( () => bridgeListenHost( 'linux', null ) ).toThrow( /docker0/ );
	} );
} );

describe( 'wpEnvPlan', () => {
	test( 'the site from this host, the bridge from the container', () => {
		const plan = wpEnvPlan( options( { config: { port: 8000 } } ) );
		expect( plan.siteUrl ).toBe( 'http://localhost:8000' );
		expect( plan.bridgePublicUrl ).toBe(
			'http://host.docker.internal:8787'
		);
		expect( plan.crmUrl ).toBe( 'http://127.0.0.1:8790' );
		expect( plan.dataDir ).toBe( '/tmp/state/bridge' );
	} );

	test( 'pairs with the code, then starts with the same data folder and public URL', () => {
		const plan = wpEnvPlan( options() );
		const pair = plan.pair( 'ABCD-EFGH-JKMN-PQRS' );
		expect( pair.command ).toBe( BRIDGE_BIN );
		expect( pair.args ).toEqual( [
			'pair',
			'http://localhost:8888',
			'--code',
			'ABCD-EFGH-JKMN-PQRS',
			'--data-dir',
			'/tmp/state/bridge',
			'--public-url',
			'http://host.docker.internal:8787',
		] );
		expect( plan.start.command ).toBe( BRIDGE_BIN );
		expect( plan.start.args ).toEqual( [
			'start',
			'--data-dir',
			'/tmp/state/bridge',
			'--host',
			'172.17.0.1',
			'--port',
			'8787',
			'--public-url',
			'http://host.docker.internal:8787',
		] );
	} );

	test( 'no bridge secret on any command line: pairing fetches it', () => {
		const plan = wpEnvPlan( options() );
		const lines = [ ...plan.configure, plan.pair( 'CODE' ), plan.start ]
			.map( ( step ) => JSON.stringify( step ) )
			.join( '\n' );
		expect( lines ).not.toMatch( /whsec_|PULSE_SYNC_BRIDGE_SECRET/ );
	} );

	test( 'configures the plugin through wp-env’s own WP-CLI', () => {
		const plan = wpEnvPlan( options() );
		for ( const step of plan.configure ) {
			expect( step.command ).toBe( 'npx' );
			expect( step.args.slice( 0, 4 ) ).toEqual( [
				'wp-env',
				'run',
				'cli',
				'wp',
			] );
		}
		expect( plan.configure[ 0 ]?.args.join( ' ' ) ).toContain(
			'"crm_account_url":"http://127.0.0.1:8790"'
		);
	} );
} );

describe( '.wp-env.json', () => {
	const config = JSON.parse(
		fs.readFileSync( path.join( ROOT, '.wp-env.json' ), 'utf8' )
	) as {
		mappings: Record< string, string >;
		lifecycleScripts: { afterStart: string };
		config: Record< string, unknown >;
	};

	test( 'maps plugin/ as wp-content/plugins/pulse-sync, and afterStart activates that slug', () => {
		const source = config.mappings[ 'wp-content/plugins/pulse-sync' ];
		expect( source ).toBe( './plugin' );
		expect(
			fs.existsSync(
				path.join( ROOT, source as string, 'pulse-sync.php' )
			)
		).toBe( true );
		const steps = config.lifecycleScripts.afterStart.split( ' && ' );
		expect( steps ).toContain(
			'npx wp-env run cli wp plugin activate pulse-sync'
		);
		for ( const step of steps ) {
			expect( step ).toMatch( /^npx wp-env run cli wp / );
		}
	} );

	test( 'a local environment (WordPress and the plugin treat it as development)', () => {
		expect( config.config.WP_ENVIRONMENT_TYPE ).toBe( 'local' );
	} );
} );
