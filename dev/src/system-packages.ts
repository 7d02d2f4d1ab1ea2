/**
 * Debian packages the stack and the tests need. Missing ones are installed with apt-get when we
 * run as root (CI and these machines), otherwise we print the exact command and stop: a stack that
 * half starts is worse than a clear instruction.
 */
import { spawnSync } from 'node:child_process';

/**
 * What `npm start` needs: PHP for WordPress, MariaDB, WordPress 6.1 itself, and nginx with
 * PHP-FPM for PULSE_STACK_SERVER=nginx (what `npm run bench` and `npm test` run).
 */
export const STACK_PACKAGES = [
	'php-cli',
	'php8.2-fpm',
	'nginx',
	'php-mysql',
	'php-curl',
	'php-xml',
	'php-mbstring',
	'php8.2-opcache',
	'mariadb-server',
	'wordpress',
];

/**
 * What `npm test` and `npm run lint` add: a browser, PHPUnit, PHP_CodeSniffer, and the tools that
 * check and run deploy/ (nginx, Apache, systemd-analyze, openssl, `ip netns`).
 */
export const TEST_PACKAGES = [
	'chromium',
	'phpunit',
	'php-codesniffer',
	'nginx',
	'apache2-bin',
	'systemd',
	'openssl',
	'iproute2',
	// The bridge suite's PostgreSQL (bridge/test/support/postgres-global-setup.ts).
	'postgresql',
];

function isInstalled( pkg: string ): boolean {
	const query = spawnSync( 'dpkg-query', [ '-W', '-f=${Status}', pkg ], {
		encoding: 'utf8',
	} );
	return (
		query.status === 0 && query.stdout.includes( 'install ok installed' )
	);
}

export function ensurePackages( packages: string[] ): void {
	const missing = packages.filter( ( pkg ) => ! isInstalled( pkg ) );
	if ( missing.length === 0 ) {
		return;
	}
	const command = `apt-get install -y --no-install-recommends ${ missing.join( ' ' ) }`;
	if ( process.getuid?.() !== 0 ) {
		console.error(
			`[stack] missing Debian packages. Run as root:\n  apt-get update && ${ command }`
		);
		process.exit( 1 );
	}
	console.log(
		`[stack] installing Debian packages: ${ missing.join( ' ' ) }`
	);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for ( const args of [
		[ 'update', '-qq' ],
		[ 'install', '-y', '-qq', '--no-install-recommends', ...missing ],
	] ) {
		const run = spawnSync( 'apt-get', args, { stdio: 'inherit', env } );
		if ( run.status !== 0 ) {
			throw new Error(
				`apt-get ${ args[ 0 ] } failed (exit ${ run.status })`
			);
		}
	}
}
