#!/usr/bin/env node
/**
 * Entry point of `npm start`, `npm test`, `npm run stack:*`, `npm run lint` and `npm run bench`.
 *
 * Plain JavaScript on purpose: on a fresh clone nothing is installed yet, so this file must run
 * before `npm ci` has brought TypeScript and tsx. It installs the node modules when they are
 * missing, then hands over to the TypeScript stack tool in dev/src/cli.ts.
 */
'use strict';

const { spawnSync } = require( 'node:child_process' );
const fs = require( 'node:fs' );
const path = require( 'node:path' );

const root = path.resolve( __dirname, '..', '..' );
const tsx = path.join( root, 'node_modules', '.bin', 'tsx' );
const sqliteBinding = path.join(
	root,
	'node_modules',
	'better-sqlite3',
	'build',
	'Release',
	'better_sqlite3.node'
);

if ( ! fs.existsSync( tsx ) || ! fs.existsSync( sqliteBinding ) ) {
	console.log(
		'[stack] node_modules missing or incomplete: running npm ci (first run only)'
	);
	const install = spawnSync( 'npm', [ 'ci', '--no-audit', '--no-fund' ], {
		cwd: root,
		stdio: 'inherit',
	} );
	if ( install.status !== 0 ) {
		process.exit( install.status ?? 1 );
	}
}

// The stack tool runs from source, and so do the bridge modules it imports: on a fresh clone
// @pulse-sync/contracts has no dist/ yet, so resolve it to its TypeScript sources.
const result = spawnSync(
	tsx,
	[
		'--conditions=pulse-sync-source',
		path.join( root, 'dev', 'src', 'cli.ts' ),
		...process.argv.slice( 2 ),
	],
	{
		cwd: root,
		stdio: 'inherit',
	}
);
process.exit( result.status ?? ( result.signal ? 1 : 0 ) );
