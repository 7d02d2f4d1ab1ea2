/**
 * Which WordPress core the stack runs.
 *
 * - `6.1` (default): Debian bookworm's `wordpress` package, installed as a system package.
 * - `6.8`: Debian trixie's `wordpress` package, the React 18 generation, fetched once into the
 *   cache with apt (a private apt configuration, so the system's sources are untouched) and
 *   unpacked with dpkg-deb.
 *
 * Why not the zips in @wp-playground/wordpress-builds: Playground serves most of wp-includes/js
 * from a remote host and strips it from those builds, so wp-admin cannot render a React panel on
 * them, and this machine cannot reach that host.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from './paths';

export interface WordPressCore {
	version: string;
	dir: string;
}

const SUPPORTED = [ '6.1', '6.8' ] as const;

export function requestedVersion(): string {
	const wanted = process.env.WP_VERSION ?? '6.1';
	if ( ! ( SUPPORTED as readonly string[] ).includes( wanted ) ) {
		throw new Error(
			`WP_VERSION must be one of ${ SUPPORTED.join( ', ' ) }, got "${ wanted }"`
		);
	}
	return wanted;
}

export function wordpressCore( version = requestedVersion() ): WordPressCore {
	if ( version === '6.1' ) {
		return { version, dir: '/usr/share/wordpress' };
	}
	return { version, dir: fetchTrixieWordPress() };
}

function fetchTrixieWordPress(): string {
	const base = path.join( cacheDir(), 'wordpress-trixie' );
	const core = path.join( base, 'root', 'usr', 'share', 'wordpress' );
	if ( fs.existsSync( path.join( core, 'wp-includes', 'version.php' ) ) ) {
		return core;
	}
	console.log(
		'[stack] fetching WordPress from Debian trixie into the cache (once)'
	);
	const apt = path.join( base, 'apt' );
	for ( const sub of [ 'lists/partial', 'archives/partial' ] ) {
		fs.mkdirSync( path.join( apt, sub ), { recursive: true } );
	}
	const sources = path.join( apt, 'sources.list' );
	fs.writeFileSync(
		sources,
		'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main\n'
	);
	const options = [
		`-o`,
		`Dir::Etc::SourceList=${ sources }`,
		`-o`,
		`Dir::Etc::SourceParts=/dev/null`,
		`-o`,
		`Dir::State::Lists=${ path.join( apt, 'lists' ) }`,
		`-o`,
		`Dir::Cache=${ apt }`,
		`-o`,
		`Debug::NoLocking=1`,
		`-o`,
		`APT::Sandbox::User=root`,
	];
	run( 'apt-get', [ ...options, 'update', '-qq' ], apt );
	run( 'apt-get', [ ...options, 'download', 'wordpress' ], apt );
	const deb = fs
		.readdirSync( apt )
		.find(
			( name ) =>
				name.startsWith( 'wordpress_' ) && name.endsWith( '.deb' )
		);
	if ( ! deb ) {
		throw new Error( 'apt-get download wordpress produced no .deb' );
	}
	run(
		'dpkg-deb',
		[ '-x', path.join( apt, deb ), path.join( base, 'root' ) ],
		apt
	);
	return core;
}

function run( command: string, args: string[], cwd: string ): void {
	const result = spawnSync( command, args, { cwd, encoding: 'utf8' } );
	if ( result.status !== 0 ) {
		throw new Error(
			`${ command } ${ args.slice( -2 ).join( ' ' ) } failed:\n${ result.stderr }`
		);
	}
}
