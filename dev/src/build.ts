/** Builds the admin panel into plugin/build (wp-scripts), as `npm start` and `npm test` need it. */
import { spawnSync } from 'node:child_process';
import { ROOT } from './paths';

export function buildAdminUi(): void {
	console.log( '[stack] building the admin panel (admin-ui → plugin/build)' );
	const run = spawnSync(
		'npm',
		[ 'run', 'build', '-w', 'admin-ui', '--silent' ],
		{ cwd: ROOT, stdio: 'inherit' }
	);
	if ( run.status !== 0 ) {
		throw new Error( 'the admin panel build failed' );
	}
}
