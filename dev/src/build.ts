/**
 * Builds what the stack runs from compiled output: the admin panel into plugin/build (wp-scripts)
 * and the bridge into bridge/dist (tsc), as `npm start`, `npm test` and `npm run bench` need them.
 */
import { spawnSync } from 'node:child_process';
import { ROOT } from './paths';

function buildWorkspace( workspace: string, what: string ): void {
	console.log( `[stack] building ${ what }` );
	const run = spawnSync(
		'npm',
		[ 'run', 'build', '-w', workspace, '--silent' ],
		{
			cwd: ROOT,
			stdio: 'inherit',
		}
	);
	if ( run.status !== 0 ) {
		throw new Error( `the build of ${ what } failed` );
	}
}

export function buildAdminUi(): void {
	buildWorkspace( 'admin-ui', 'the admin panel (admin-ui → plugin/build)' );
}

/**
 * The bridge runs as plain JavaScript under node: under tsx it was two processes (launcher and
 * loader) and about 60 MB more memory. Incremental, so an unchanged bridge builds in about a second.
 */
export function buildBridge(): void {
	buildWorkspace( 'bridge', 'the bridge (bridge/src → bridge/dist)' );
}
