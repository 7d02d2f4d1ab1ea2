/**
 * Which files of plugin/ a site receives: a rule, not a list of files, so that PHP other people add
 * under includes/ ships without anyone updating the release. Everything else in plugin/ (tests/,
 * phpunit.xml.dist, TESTS.md, vendor/, dot files) stays out.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Folders shipped whole (WordPress's plugin handbook layout; the panel's bundle is build/). */
export const SHIPPED_FOLDERS = [ 'includes', 'build', 'languages' ] as const;

/** Files at the top of plugin/ that ship: the PHP entry points and the readme. */
function isShippedTopFile( name: string ): boolean {
	return name.endsWith( '.php' ) || name === 'readme.txt';
}

/** Without these the zip would install a broken plugin, so the release stops instead. */
export const REQUIRED_FILES = [
	'pulse-sync.php',
	'uninstall.php',
	'readme.txt',
	'build/index.js',
	'build/index.asset.php',
	'languages/pulse-sync.pot',
] as const;

function filesUnder( pluginDir: string, folder: string ): string[] {
	const dir = path.join( pluginDir, folder );
	if ( ! fs.existsSync( dir ) ) {
		return [];
	}
	return fs
		.readdirSync( dir, { withFileTypes: true, recursive: true } )
		.filter( ( entry ) => entry.isFile() )
		.map( ( entry ) =>
			path.relative(
				pluginDir,
				path.join( entry.parentPath, entry.name )
			)
		)
		.filter(
			( file ) =>
				! file
					.split( path.sep )
					.some( ( part ) => part.startsWith( '.' ) )
		);
}

/**
 * The shipped files, relative to `pluginDir`, with `/` separators, sorted.
 * @param pluginDir The plugin folder (plugin/).
 */
export function pluginFiles( pluginDir: string ): string[] {
	const top = fs
		.readdirSync( pluginDir, { withFileTypes: true } )
		.filter( ( entry ) => entry.isFile() && isShippedTopFile( entry.name ) )
		.map( ( entry ) => entry.name );
	const files = [
		...top,
		...SHIPPED_FOLDERS.flatMap( ( folder ) =>
			filesUnder( pluginDir, folder )
		),
	].map( ( file ) => file.split( path.sep ).join( '/' ) );
	const missing = REQUIRED_FILES.filter(
		( file ) => ! files.includes( file )
	);
	if ( missing.length > 0 ) {
		throw new Error(
			`the plugin is incomplete, missing: ${ missing.join( ', ' ) }`
		);
	}
	return files.sort();
}
