/**
 * .wp-env.json through wp-env's own configuration loader (`@wordpress/env` `lib/config`), the code
 * that reads it at `wp-env start`: its checks (the types of `core`, `phpVersion`, `plugins`,
 * `mappings`, `config`, the ports and `lifecycleScripts`) are the schema wp-env enforces. The JSON
 * schema published at schemas.wp.org is not part of the package, and that site cannot be reached
 * from these machines. `@wordpress/env` is pinned to 10.30.0 in dev/package.json: later releases
 * pull in `@wp-playground/cli` (600 MB of node_modules) for a runtime we do not use.
 *
 * Offline on purpose. With `core: null` wp-env asks WordPress.org for the latest WordPress version,
 * and only when a DNS lookup of WordPress.org fails does it read the version from its cache.
 * WordPress.org cannot be reached from here, so that lookup is the one thing made to fail, and the
 * cache holds the version as wp-env writes it after an online start.
 */
import { createHash } from 'node:crypto';
import dns from 'node:dns';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../src/paths';

interface WpEnvEnvironment {
	coreSource: { type: string; ref?: string } | null;
	mappings: Record< string, { type: string; path: string } >;
	config: Record< string, unknown >;
	phpVersion: string | null;
}

interface WpEnvConfig {
	lifecycleScripts: Record< string, string | null >;
	env: { development: WpEnvEnvironment; tests: WpEnvEnvironment };
}

const wpEnvConfig = createRequire( __filename )(
	'@wordpress/env/lib/config'
) as { loadConfig: ( directory: string ) => Promise< WpEnvConfig > };

const LATEST_WORDPRESS = '6.8.3';

let wpEnvHome: string;

/** A folder with `.wp-env.json` = ours, changed by `edit`, and wp-env's cache for it. */
function projectWith(
	edit: ( config: Record< string, unknown > ) => void = () => {}
): string {
	const directory = fs.mkdtempSync( path.join( wpEnvHome, 'project-' ) );
	const config = JSON.parse(
		fs.readFileSync( path.join( ROOT, '.wp-env.json' ), 'utf8' )
	) as Record< string, unknown >;
	edit( config );
	const configFile = path.join( directory, '.wp-env.json' );
	fs.writeFileSync( configFile, JSON.stringify( config ) );
	fs.symlinkSync(
		path.join( ROOT, 'plugin' ),
		path.join( directory, 'plugin' )
	);
	// wp-env's work folder for a project: WP_ENV_HOME/md5(path of its .wp-env.json).
	const workDirectory = path.join(
		wpEnvHome,
		createHash( 'md5' ).update( configFile ).digest( 'hex' )
	);
	fs.mkdirSync( workDirectory );
	fs.writeFileSync(
		path.join( workDirectory, 'wp-env-cache.json' ),
		JSON.stringify( { latestWordPressVersion: LATEST_WORDPRESS } )
	);
	return directory;
}

beforeAll( () => {
	wpEnvHome = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-wp-env-' ) );
	process.env.WP_ENV_HOME = wpEnvHome;
	jest.spyOn( dns.promises, 'resolve' ).mockRejectedValue(
		Object.assign( new Error( 'WordPress.org is unreachable here' ), {
			code: 'ENOTFOUND',
		} )
	);
} );

afterAll( () => {
	jest.restoreAllMocks();
	delete process.env.WP_ENV_HOME;
	fs.rmSync( wpEnvHome, { recursive: true, force: true } );
} );

describe( '.wp-env.json, read by wp-env itself', () => {
	test( 'wp-env accepts it: latest WordPress, the plugin mapped, our constants, the afterStart script', async () => {
		const loaded = await wpEnvConfig.loadConfig( projectWith() );
		const development = loaded.env.development;
		expect( development.coreSource ).toMatchObject( {
			type: 'git',
			ref: LATEST_WORDPRESS,
		} );
		expect(
			development.mappings[ 'wp-content/plugins/pulse-sync' ]
		).toMatchObject( { type: 'local' } );
		expect( development.config ).toMatchObject( {
			WP_ENVIRONMENT_TYPE: 'local',
			PULSE_SYNC_ALLOW_HTTP_BRIDGE: true,
		} );
		expect( loaded.lifecycleScripts.afterStart ).toContain(
			'wp plugin activate pulse-sync'
		);
	} );

	test.each( [
		[
			'plugins as a string',
			'plugins',
			( config: Record< string, unknown > ) => {
				config.plugins = './plugin';
			},
		],
		[
			'a lifecycle script that is not a string',
			'lifecycleScripts',
			( config: Record< string, unknown > ) => {
				config.lifecycleScripts = { afterStart: [ 'wp plugin list' ] };
			},
		],
		[
			'a port that is not a number',
			'port',
			( config: Record< string, unknown > ) => {
				config.port = 'eighty';
			},
		],
	] )(
		'the loader refuses a copy with %s (so the check above can fail)',
		async ( _, key, edit ) => {
			await expect(
				wpEnvConfig.loadConfig( projectWith( edit ) )
			).rejects.toThrow( new RegExp( `^Invalid .*"${ key }[".]` ) );
		}
	);
} );
