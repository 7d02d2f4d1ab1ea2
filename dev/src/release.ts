/**
 * `npm run release`: the artifacts a site owner installs, written into release/ (git-ignored).
 * The version must agree everywhere first (release/version.ts); then each artifact is built in
 * turn: the plugin zip, then the bridge's `npm pack` tarball (release-bridge.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildAdminUi } from './build';
import { packBridge } from './release-bridge';
import { ROOT } from './paths';
import { pluginFiles } from './release/plugin-files';
import { writePot } from './release/pot';
import { releaseVersion } from './release/version';
import { writeZip } from './release/zip';

/** The plugin's folder name on a site (wp-content/plugins/pulse-sync) and its zip's top folder. */
export const PLUGIN_SLUG = 'pulse-sync';

export function releaseDir(): string {
	return path.resolve(
		process.env.PULSE_RELEASE_DIR ?? path.join( ROOT, 'release' )
	);
}

export function pluginZipPath( version: string, dir = releaseDir() ): string {
	return path.join( dir, `${ PLUGIN_SLUG }-${ version }.zip` );
}

/**
 * The plugin zip: the panel built into plugin/build, the translation template into
 * plugin/languages, then the shipped files (release/plugin-files.ts) under `pulse-sync/`.
 * @param version The release's version.
 * @param dir     Where the zip goes.
 * @param options What to build first.
 */
export function buildPluginZip(
	version: string,
	dir: string,
	options: ReleaseOptions
): string {
	const pluginDir = path.join( ROOT, 'plugin' );
	if ( options.buildPanel ) {
		buildAdminUi();
	}
	writePot( pluginDir, path.join( ROOT, 'admin-ui', 'src' ), version );
	const files = pluginFiles( pluginDir );
	const zip = pluginZipPath( version, dir );
	writeZip( pluginDir, files, PLUGIN_SLUG, zip );
	return zip;
}

export interface ReleaseOptions {
	/** false when the caller has just built the panel (`npm test`). */
	buildPanel: boolean;
}

type Artifact = (
	version: string,
	dir: string,
	options: ReleaseOptions
) => string;

const ARTIFACTS: Artifact[] = [
	buildPluginZip,
	( _version, dir ) => packBridge( dir ),
];

/** Builds every artifact; returns their paths: the plugin zip, then the bridge tarball. */
export function release(
	options: ReleaseOptions = { buildPanel: true }
): string[] {
	const version = releaseVersion();
	const dir = releaseDir();
	fs.mkdirSync( dir, { recursive: true } );
	console.log( `[release] Pulse Sync ${ version } into ${ dir }` );
	return ARTIFACTS.map( ( artifact ) => {
		const file = artifact( version, dir, options );
		console.log(
			`[release] wrote ${ path.relative( ROOT, file ) } (${ fs.statSync( file ).size } bytes)`
		);
		return file;
	} );
}
