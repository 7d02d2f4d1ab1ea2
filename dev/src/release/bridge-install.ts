/**
 * The bridge installed as a site owner installs it: `npm install` of its release tarball
 * (release-bridge.ts) in an empty folder outside the repository, with none of the repository's
 * `PULSE_*` settings in the environment. `npm test` installs it once and both WordPress
 * generations' release journeys (e2e/release/) run the installed command from there.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Installing compiles better-sqlite3 (no prebuilt binary is reachable here): 2.5 min of CPU,
 * measured 16 min of wall time with three other compiles on the same two cores.
 */
export const BRIDGE_INSTALL_TIMEOUT_MS = 15 * 60_000;

/** `<dir>/pulse-sync-bridge-<version>.tgz`: the name `npm pack` gives `@pulse-sync/bridge`. */
export function bridgeTarballPath( version: string, dir: string ): string {
	return path.join( dir, `pulse-sync-bridge-${ version }.tgz` );
}

/**
 * The environment an owner's shell has: this one without the repository's `PULSE_*` settings,
 * plus the given ones.
 * @param extra Settings of the owner's own (e.g. `PULSE_SYNC_DATA_DIR`).
 */
export function ownerEnv(
	extra: Record< string, string > = {}
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for ( const [ name, value ] of Object.entries( process.env ) ) {
		if ( ! name.startsWith( 'PULSE_' ) ) {
			env[ name ] = value;
		}
	}
	return { ...env, ...extra };
}

/**
 * `npm install --omit=dev <tarball>` in `installDir`, which must be empty (created if missing).
 * @param tarball    The bridge's release tarball.
 * @param installDir The owner's empty folder.
 * @return How long the install took, in seconds (for the log).
 */
export function installBridgeTarball(
	tarball: string,
	installDir: string
): number {
	fs.mkdirSync( installDir, { recursive: true } );
	if ( fs.readdirSync( installDir ).length !== 0 ) {
		throw new Error( `${ installDir } is not empty` );
	}
	const started = Date.now();
	const install = spawnSync(
		'npm',
		[
			'install',
			'--no-audit',
			'--no-fund',
			'--omit=dev',
			path.resolve( tarball ),
		],
		{
			cwd: installDir,
			encoding: 'utf8',
			timeout: BRIDGE_INSTALL_TIMEOUT_MS,
			// The normal npm cache, so a machine that installed better-sqlite3 once reuses it.
			env: ownerEnv( {
				npm_config_cache: path.join( os.homedir(), '.npm' ),
			} ),
		}
	);
	if ( install.status !== 0 ) {
		throw new Error(
			`npm install of ${ tarball } failed (${ install.status ?? install.signal }):\n${ install.stdout }${ install.stderr }`
		);
	}
	const seconds = ( Date.now() - started ) / 1000;
	console.log(
		`[release] npm install of ${ path.basename( tarball ) } into ${ installDir } took ${ seconds.toFixed( 1 ) } s`
	);
	return seconds;
}
