/**
 * The bridge's release artifact: `npm pack` of bridge/ (its `prepack` compiles a clean dist/;
 * `files` in bridge/package.json keeps compiled JavaScript only), written as
 * `<outDir>/pulse-sync-bridge-<version>.tgz`. `npm run release` (release.ts) calls it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths';

/**
 * Packs the bridge and returns the tarball's path.
 * @param outDir Where the tarball goes (created if missing), e.g. release/.
 */
export function packBridge( outDir: string ): string {
	fs.mkdirSync( outDir, { recursive: true } );
	const run = spawnSync(
		'npm',
		[ 'pack', '--json', '--pack-destination', path.resolve( outDir ) ],
		// The prepack build writes to stderr so that stdout stays the JSON answer.
		{ cwd: path.join( ROOT, 'bridge' ), encoding: 'utf8' }
	);
	if ( run.status !== 0 ) {
		throw new Error(
			`npm pack of the bridge failed (${ run.status }):\n${ run.stderr }`
		);
	}
	const [ packed ] = JSON.parse(
		run.stdout.slice( run.stdout.indexOf( '[' ) )
	) as { filename: string }[];
	if ( packed === undefined ) {
		throw new Error(
			`npm pack said nothing about its tarball:\n${ run.stdout }`
		);
	}
	const file = path.join( path.resolve( outDir ), packed.filename );
	console.log( `[release] ${ path.relative( ROOT, file ) }` );
	return file;
}
