/**
 * `npm run lint`: every static check in one place, a line per check, false on any failure.
 *
 * - ESLint with @wordpress/eslint-plugin (Prettier formatting included) for all TypeScript.
 * - tsc --noEmit for each workspace (jest only transpiles, so types are checked here).
 * - php -l on every PHP file, and PHP_CodeSniffer from Debian with phpcs.xml.dist. WPCS is not
 *   obtainable here (Packagist is unreachable); phpcs.xml.dist says which sniffs stand in for it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths';
import { ensurePackages } from './system-packages';

interface Check {
	name: string;
	command: string;
	args: string[];
}

function phpFiles(): string[] {
	const found: string[] = [];
	const walk = ( dir: string ) => {
		for ( const entry of fs.readdirSync( dir, { withFileTypes: true } ) ) {
			if (
				[ 'node_modules', 'vendor', 'build' ].includes( entry.name )
			) {
				continue;
			}
			const file = path.join( dir, entry.name );
			if ( entry.isDirectory() ) {
				walk( file );
			} else if ( entry.name.endsWith( '.php' ) ) {
				found.push( path.relative( ROOT, file ) );
			}
		}
	};
	walk( path.join( ROOT, 'plugin' ) );
	walk( path.join( ROOT, 'dev', 'php' ) );
	return found;
}

export function lintChecks(): Check[] {
	const bin = ( name: string ) =>
		path.join( ROOT, 'node_modules', '.bin', name );
	return [
		{
			name: 'eslint',
			command: bin( 'wp-scripts' ),
			args: [
				'lint-js',
				'admin-ui/src',
				'contracts',
				'bridge',
				'crm-sandbox',
				'dev',
				'e2e',
				'bench',
				'integration',
				'eslint.config.cjs',
				'jest.node.config.js',
			],
		},
		...[
			'contracts',
			'crm-sandbox',
			'bridge',
			'admin-ui',
			'dev',
			'integration',
			'bench',
		].map( ( workspace ) => ( {
			name: `tsc ${ workspace }`,
			command: bin( 'tsc' ),
			args: [ '--noEmit', '-p', workspace ],
		} ) ),
		{
			name: 'php -l',
			command: 'sh',
			args: [
				'-c',
				'for f in "$@"; do php -l "$f" >/dev/null || exit 1; done',
				'php-l',
				...phpFiles(),
			],
		},
		{
			name: 'phpcs',
			command: 'phpcs',
			args: [ '-q', '--standard=phpcs.xml.dist' ],
		},
	];
}

export function runLint(): boolean {
	ensurePackages( [ 'php-cli', 'php-codesniffer' ] );
	let ok = true;
	for ( const check of lintChecks() ) {
		const run = spawnSync( check.command, check.args, {
			cwd: ROOT,
			encoding: 'utf8',
		} );
		const passed = run.status === 0;
		ok &&= passed;
		console.log( `[lint] ${ passed ? 'ok  ' : 'FAIL' } ${ check.name }` );
		if ( ! passed ) {
			console.log(
				`${ run.stdout ?? '' }${ run.stderr ?? '' }`
					.trim()
					.split( '\n' )
					.slice( 0, 60 )
					.join( '\n' )
			);
		}
	}
	return ok;
}
