/**
 * A WordPress site in the state folder: a private copy of core (so wp-config.php and wp-content
 * are ours, not Debian's /etc/wordpress lookup), the plugin linked in, a mail mu-plugin, and a
 * non-interactive install through dev/php/install.php.
 *
 * `PULSE_STACK_PLUGIN=none` installs WordPress without the plugin, as a site owner's site is before
 * they upload the release zip: nothing in the site links to or was copied from this repository
 * (the mail mu-plugin is copied, not linked), no plugin option is written, and
 * wp-content/plugins is writable with `FS_METHOD` direct, so wp-admin can install uploads.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths';
import type { WordPressCore } from './wordpress-core';

export interface SiteOptions {
	core: WordPressCore;
	/** The state folder (salts and admin credentials, shared by the stack's sites). */
	dir: string;
	/** This site's own copy of core. */
	wpDir: string;
	siteUrl: string;
	db: { socket: string; name: string; user: string; password: string };
	smtpPort: number;
	logDir: string;
	/** The site's debug log file name in logDir. */
	debugLog: string;
}

export type PluginMode = 'linked' | 'none';

/** `linked` (default): plugin/ is linked into the site and activated; `none`: no plugin at all. */
export function pluginMode(): PluginMode {
	const wanted = process.env.PULSE_STACK_PLUGIN ?? 'linked';
	if ( wanted !== 'linked' && wanted !== 'none' ) {
		throw new Error(
			`PULSE_STACK_PLUGIN must be linked or none, got "${ wanted }"`
		);
	}
	return wanted;
}

export interface InstalledSite {
	wpDir: string;
	adminUser: string;
	adminPassword: string;
	accessKey: string;
	bridgeSecret: string;
}

/** Debian links a few files to other packages; these are where the package itself would live. */
const DEBIAN_HOME = '/usr/share/wordpress';

export function copyCore( core: WordPressCore, wpDir: string ): void {
	const marker = path.join( wpDir, '.pulse-stack-core' );
	if (
		fs.existsSync( marker ) &&
		fs.readFileSync( marker, 'utf8' ) === core.dir
	) {
		return;
	}
	fs.rmSync( wpDir, { recursive: true, force: true } );
	copyTree( core.dir, wpDir, '' );
	fs.writeFileSync( marker, core.dir );
}

function copyTree( from: string, to: string, relative: string ): void {
	fs.mkdirSync( to, { recursive: true } );
	for ( const entry of fs.readdirSync( from, { withFileTypes: true } ) ) {
		const source = path.join( from, entry.name );
		const target = path.join( to, entry.name );
		const rel = path.join( relative, entry.name );
		if ( entry.name === 'wp-config.php' && relative === '' ) {
			continue; // Debian's wp-config.php looks in /etc/wordpress; ours is written below.
		}
		if ( entry.isSymbolicLink() ) {
			const resolved = resolveDebianLink( source, rel );
			if ( resolved ) {
				fs.copyFileSync( resolved, target );
			}
		} else if ( entry.isDirectory() ) {
			copyTree( source, target, rel );
		} else {
			fs.copyFileSync( source, target );
		}
	}
}

/**
 * A package unpacked in the cache keeps relative links such as ../../../javascript/underscore/…,
 * meant to be read from /usr/share/wordpress. Resolve them there; when the system lacks the
 * target (trixie links lodash to a package bookworm does not have), use the system WordPress's own
 * copy of that file.
 */
function resolveDebianLink( source: string, rel: string ): string | null {
	const link = fs.readlinkSync( source );
	const candidates = [
		path.resolve( path.dirname( source ), link ),
		path.resolve( path.dirname( path.join( DEBIAN_HOME, rel ) ), link ),
		path.join( DEBIAN_HOME, rel ),
	];
	for ( const candidate of candidates ) {
		try {
			if ( fs.statSync( candidate ).isFile() ) {
				return candidate;
			}
		} catch {
			// Try the next place.
		}
	}
	console.warn(
		`[stack] skipped ${ rel }: its link target ${ link } is not on this machine`
	);
	return null;
}

function phpString( value: string ): string {
	return `'${ value.replace( /\\/g, '\\\\' ).replace( /'/g, "\\'" ) }'`;
}

export function writeConfig( options: SiteOptions, wpDir: string ): void {
	const saltsFile = path.join( options.dir, 'wp-salts.json' );
	if ( ! fs.existsSync( saltsFile ) ) {
		const names = [
			'AUTH_KEY',
			'SECURE_AUTH_KEY',
			'LOGGED_IN_KEY',
			'NONCE_KEY',
			'AUTH_SALT',
			'SECURE_AUTH_SALT',
			'LOGGED_IN_SALT',
			'NONCE_SALT',
		];
		const salts = Object.fromEntries(
			names.map( ( name ) => [
				name,
				crypto.randomBytes( 48 ).toString( 'base64' ),
			] )
		);
		fs.writeFileSync( saltsFile, JSON.stringify( salts ), { mode: 0o600 } );
	}
	const salts = JSON.parse( fs.readFileSync( saltsFile, 'utf8' ) ) as Record<
		string,
		string
	>;
	const define = ( name: string, value: string | number | boolean ) =>
		`define( '${ name }', ${ typeof value === 'string' ? phpString( value ) : String( value ) } );`;
	const lines = [
		'<?php',
		'// Written by the Pulse Sync local stack (dev/src/wordpress-site.ts) on every start.',
		define( 'DB_NAME', options.db.name ),
		define( 'DB_USER', options.db.user ),
		define( 'DB_PASSWORD', options.db.password ),
		define( 'DB_HOST', `localhost:${ options.db.socket }` ),
		define( 'DB_CHARSET', 'utf8mb4' ),
		define( 'DB_COLLATE', '' ),
		...Object.entries( salts ).map( ( [ name, value ] ) =>
			define( name, value )
		),
		define( 'WP_HOME', options.siteUrl ),
		define( 'WP_SITEURL', options.siteUrl ),
		define( 'WP_ENVIRONMENT_TYPE', 'local' ),
		define( 'WP_DEBUG', true ),
		define( 'WP_DEBUG_DISPLAY', false ),
		define( 'WP_DEBUG_LOG', path.join( options.logDir, options.debugLog ) ),
		define( 'FS_METHOD', 'direct' ),
		define( 'AUTOMATIC_UPDATER_DISABLED', true ),
		define( 'WP_HTTP_BLOCK_EXTERNAL', true ),
		define( 'PULSE_STACK_SMTP_PORT', options.smtpPort ),
		"$table_prefix = 'wp_';",
		"if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }",
		"require_once ABSPATH . 'wp-settings.php';",
		'',
	];
	fs.writeFileSync( path.join( wpDir, 'wp-config.php' ), lines.join( '\n' ), {
		mode: 0o600,
	} );
}

function linkInto( target: string, link: string ): void {
	fs.mkdirSync( path.dirname( link ), { recursive: true } );
	fs.rmSync( link, { recursive: true, force: true } );
	fs.symlinkSync( target, link );
}

function copyInto( source: string, target: string ): void {
	fs.mkdirSync( path.dirname( target ), { recursive: true } );
	fs.rmSync( target, { recursive: true, force: true } );
	fs.copyFileSync( source, target );
}

export function installSite(
	options: SiteOptions,
	mode: PluginMode = pluginMode()
): InstalledSite {
	const wpDir = options.wpDir;
	copyCore( options.core, wpDir );
	writeConfig( options, wpDir );
	const pluginDir = path.join( wpDir, 'wp-content', 'plugins', 'pulse-sync' );
	const mailPlugin = path.join(
		ROOT,
		'dev',
		'php',
		'mu-plugins',
		'pulse-stack-smtp.php'
	);
	const mailTarget = path.join(
		wpDir,
		'wp-content',
		'mu-plugins',
		'pulse-stack-smtp.php'
	);
	if ( mode === 'linked' ) {
		linkInto( path.join( ROOT, 'plugin' ), pluginDir );
		linkInto( mailPlugin, mailTarget );
	} else {
		// A link left by an earlier linked start must not pass for an installed plugin.
		if (
			fs
				.lstatSync( pluginDir, { throwIfNoEntry: false } )
				?.isSymbolicLink()
		) {
			fs.rmSync( pluginDir );
		}
		copyInto( mailPlugin, mailTarget );
	}
	const credentialsFile = path.join( options.dir, 'admin.json' );
	if ( ! fs.existsSync( credentialsFile ) ) {
		const credentials = {
			user: 'admin',
			password: crypto.randomBytes( 12 ).toString( 'base64url' ),
		};
		fs.writeFileSync( credentialsFile, JSON.stringify( credentials ), {
			mode: 0o600,
		} );
	}
	const admin = JSON.parse( fs.readFileSync( credentialsFile, 'utf8' ) ) as {
		user: string;
		password: string;
	};
	const adminEnv = {
		PULSE_ADMIN_USER: admin.user,
		PULSE_ADMIN_PASSWORD: admin.password,
		PULSE_ADMIN_EMAIL: 'admin@example.test',
	};
	runPhp( wpDir, 'install.php', adminEnv );
	if ( mode === 'none' ) {
		return {
			wpDir,
			adminUser: admin.user,
			adminPassword: admin.password,
			accessKey: '',
			bridgeSecret: '',
		};
	}
	// A second process: activation must not run with WP_INSTALLING, which install.php defines.
	const installed = JSON.parse(
		runPhp( wpDir, 'activate.php', adminEnv )
	) as { access_key: string; bridge_secret: string };
	return {
		wpDir,
		adminUser: admin.user,
		adminPassword: admin.password,
		accessKey: installed.access_key,
		bridgeSecret: installed.bridge_secret,
	};
}

/**
 * Runs one of dev/php/*.php against the site (they load wp-load.php: WP-CLI is not obtainable
 * here). `input` goes to the script's standard input as JSON.
 */
export function runPhp(
	wpDir: string,
	script: string,
	env: Record< string, string > = {},
	input?: unknown
): string {
	const result = spawnSync(
		'php',
		[ path.join( ROOT, 'dev', 'php', script ) ],
		{
			env: { ...process.env, ...env, PULSE_WP_DIR: wpDir },
			input: input === undefined ? '' : JSON.stringify( input ),
			encoding: 'utf8',
		}
	);
	if ( result.status !== 0 ) {
		throw new Error(
			`php ${ script } failed (exit ${ result.status }):\n${ result.stdout }\n${ result.stderr }`
		);
	}
	return result.stdout;
}
