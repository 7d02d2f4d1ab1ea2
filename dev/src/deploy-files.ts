/**
 * The files of deploy/ as the tests use them: the web-server snippets with the lines an owner
 * edits (marked EDIT) filled in, the smallest main configurations that include them, and the
 * checks that nginx, Apache and systemd make of them. dev/test/deploy-files.test.ts parses every
 * file here; integration/bridge-other-host.test.ts runs the nginx snippet in front of a bridge.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths';

export const DEPLOY_DIR = path.join( ROOT, 'deploy' );
export const NGINX_SITE = path.join(
	DEPLOY_DIR,
	'nginx',
	'pulse-sync-bridge.conf'
);
export const APACHE_SITE = path.join(
	DEPLOY_DIR,
	'apache',
	'pulse-sync-bridge.conf'
);
/** WordPress itself behind nginx + PHP-FPM, with Pulse Sync's requests in a pool of their own. */
export const NGINX_WORDPRESS = path.join(
	DEPLOY_DIR,
	'nginx',
	'wordpress-pulse-sync.conf'
);
export const APACHE_WORDPRESS = path.join(
	DEPLOY_DIR,
	'apache',
	'wordpress-pulse-sync.conf'
);
export const FPM_POOL = path.join( DEPLOY_DIR, 'php-fpm', 'pulse-sync.conf' );
export const SYSTEMD_UNIT = path.join(
	DEPLOY_DIR,
	'pulse-sync-bridge.service'
);
/** Read by systemd with the unit (`systemd-analyze verify` of the unit checks it too). */
export const SYSTEMD_POSTGRES_DROP_IN = path.join(
	DEPLOY_DIR,
	'pulse-sync-bridge.service.d',
	'postgres.conf'
);

/** What an owner fills in: where TLS listens, for which name, with which certificate. */
export interface TlsSite {
	/** nginx `listen` address and port, e.g. "10.0.0.2:443". */
	listen: string;
	serverName: string;
	certificateFile: string;
	keyFile: string;
}

export interface CheckResult {
	ok: boolean;
	/** What the checker printed (stdout and stderr). */
	output: string;
}

/**
 * Replaces the lines matching `pattern` (the first by `line`, the others removed).
 * @throws Error when no line matches: a snippet that lost an edited line must fail its test.
 */
function setLines( text: string, pattern: RegExp, line: string ): string {
	let found = false;
	const lines = text.split( '\n' ).flatMap( ( current ) => {
		if ( ! pattern.test( current ) ) {
			return [ current ];
		}
		const first = ! found;
		found = true;
		return first ? [ line ] : [];
	} );
	if ( ! found ) {
		throw new Error( `no line matches ${ pattern } in the snippet` );
	}
	return lines.join( '\n' );
}

/** Each edited line: the lines it replaces, and what it becomes. */
type Edit = [ pattern: RegExp, line: string ];

function applyEdits( source: string, edits: Edit[] ): string {
	return edits.reduce(
		( text, [ pattern, line ] ) => setLines( text, pattern, line ),
		source
	);
}

/** What an owner fills in to serve WordPress: address, name, folder, the two pools, the log. */
export interface WordPressSite {
	/** nginx `listen` address and port, e.g. "127.0.0.1:8888". */
	listen: string;
	serverName: string;
	/** The WordPress folder. */
	root: string;
	/** The FPM socket of the pool that serves visitors. */
	visitorsSocket: string;
	/** The FPM socket of Pulse Sync's pool (deploy/php-fpm/pulse-sync.conf). */
	webhooksSocket: string;
	/** Where the access log goes (a file, or /dev/stdout). */
	accessLog: string;
}

/** deploy/nginx/wordpress-pulse-sync.conf with its `# EDIT` lines set for `site`. */
export function renderNginxWordPress(
	site: WordPressSite,
	source = fs.readFileSync( NGINX_WORDPRESS, 'utf8' )
): string {
	return applyEdits( source, [
		[ /^\s*listen\s/, `\tlisten ${ site.listen };` ],
		[ /^\s*server_name\s/, `\tserver_name ${ site.serverName };` ],
		[ /^\s*root\s/, `\troot ${ site.root };` ],
		[
			/^\s*server unix:\/run\/php\/php8\.2-fpm\.sock;/,
			`\tserver unix:${ site.visitorsSocket };`,
		],
		[
			/^\s*server unix:\/run\/php\/php8\.2-fpm-pulse-sync\.sock;/,
			`\tserver unix:${ site.webhooksSocket };`,
		],
		[ /^\s*access_log\s/, `\taccess_log ${ site.accessLog } pulse_sync;` ],
	] );
}

/** Where a pool listens, and whether it keeps the account of whoever starts FPM. */
export interface FpmPoolSite {
	listen: string;
	/**
	 * Drop `user`, `group` and the socket's owner: the local stack runs FPM as the developer
	 * (or as root with `-R`), who owns the state folder that www-data could not read.
	 */
	ownAccount: boolean;
}

/** deploy/php-fpm/pulse-sync.conf with its socket (and, for the stack, account) set. */
export function renderFpmPool(
	pool: FpmPoolSite,
	source = fs.readFileSync( FPM_POOL, 'utf8' )
): string {
	const account: Edit[] = pool.ownAccount
		? [
				[ /^user = /, '; user: whoever runs php-fpm' ],
				[ /^group = /, '; group: whoever runs php-fpm' ],
				[
					/^listen\.(owner|group) = /,
					'; listen.owner: whoever runs php-fpm',
				],
			]
		: [];
	return applyEdits( source, [
		[ /^listen = /, `listen = ${ pool.listen }` ],
		...account,
	] );
}

/** deploy/apache/wordpress-pulse-sync.conf with the lines under its EDIT comments set for `site`. */
export function renderApacheWordPress(
	site: WordPressSite,
	source = fs.readFileSync( APACHE_WORDPRESS, 'utf8' )
): string {
	return applyEdits( source, [
		[ /^<VirtualHost \*:80>/, `<VirtualHost ${ site.listen }>` ],
		[ /^\s*ServerName\s/, `\tServerName ${ site.serverName }` ],
		[ /^\s*DocumentRoot\s/, `\tDocumentRoot ${ site.root }` ],
		[ /^\s*<Directory \//, `\t<Directory ${ site.root }>` ],
		[ /^\s*CustomLog\s/, `\tCustomLog ${ site.accessLog } pulse_sync` ],
		[
			/^\s*SetHandler "proxy:unix:\/run\/php\/php8\.2-fpm-pulse-sync\.sock/,
			`\t\t\tSetHandler "proxy:unix:${ site.webhooksSocket }|fcgi://pulse-sync"`,
		],
		[
			/^\s*SetHandler "proxy:unix:\/run\/php\/php8\.2-fpm\.sock/,
			`\t\t\tSetHandler "proxy:unix:${ site.visitorsSocket }|fcgi://localhost"`,
		],
	] );
}

/** deploy/nginx/pulse-sync-bridge.conf with its `# EDIT` lines set for `site`. */
export function renderNginxSite(
	site: TlsSite,
	source = fs.readFileSync( NGINX_SITE, 'utf8' )
): string {
	return applyEdits( source, [
		[ /^\s*listen\s/, `\tlisten ${ site.listen } ssl;` ],
		[ /^\s*server_name\s/, `\tserver_name ${ site.serverName };` ],
		[
			/^\s*ssl_certificate\s/,
			`\tssl_certificate ${ site.certificateFile };`,
		],
		[
			/^\s*ssl_certificate_key\s/,
			`\tssl_certificate_key ${ site.keyFile };`,
		],
	] );
}

/** deploy/apache/pulse-sync-bridge.conf with the lines under its `# EDIT` comment set for `site`. */
export function renderApacheSite(
	site: TlsSite,
	source = fs.readFileSync( APACHE_SITE, 'utf8' )
): string {
	return applyEdits( source, [
		[ /^\s*ServerName\s/, `\tServerName ${ site.serverName }` ],
		[
			/^\s*SSLCertificateFile\s/,
			`\tSSLCertificateFile ${ site.certificateFile }`,
		],
		[
			/^\s*SSLCertificateKeyFile\s/,
			`\tSSLCertificateKeyFile ${ site.keyFile }`,
		],
	] );
}

/**
 * The pattern of the one regex `location` of deploy/nginx/pulse-sync-bridge.conf, the one that
 * proxies to the bridge, as nginx matches it against the request path (PCRE; the snippet uses
 * only what JavaScript's RegExp reads the same way).
 * @param text The snippet.
 * @throws Error when it has no such location, or more than one.
 */
export function nginxBridgeLocation( text: string ): RegExp {
	const found = [ ...text.matchAll( /^\s*location ~ "([^"]+)" \{/gm ) ];
	if ( found.length !== 1 ) {
		throw new Error(
			`expected one regex location in the snippet, found ${ found.length }`
		);
	}
	return new RegExp( found[ 0 ]?.[ 1 ] as string );
}

/**
 * The patterns of deploy/apache/pulse-sync-bridge.conf: what `ProxyPassMatch` sends to the bridge,
 * and what the one `LocationMatch` grants (everything else is denied by `<Location "/">`).
 * @param text The snippet.
 * @throws Error unless it has exactly one of each.
 */
export function apacheBridgePatterns( text: string ): {
	proxied: RegExp;
	granted: RegExp;
} {
	const only = ( pattern: RegExp, what: string ): RegExp => {
		const found = [ ...text.matchAll( pattern ) ];
		if ( found.length !== 1 ) {
			throw new Error(
				`expected one ${ what } in the snippet, found ${ found.length }`
			);
		}
		return new RegExp( found[ 0 ]?.[ 1 ] as string );
	};
	return {
		proxied: only( /^\s*ProxyPassMatch "([^"]+)"/gm, 'ProxyPassMatch' ),
		granted: only( /^\s*<LocationMatch "([^"]+)">/gm, 'LocationMatch' ),
	};
}

/**
 * An nginx main configuration that keeps every file in `dir` and includes `siteFile` in `http`.
 * @param dir       Folder for the pid file, logs and temporary files.
 * @param siteFile  The server block to include.
 * @param extraHttp More directives for `http {}` (a test's own servers).
 */
export function nginxMainConfig(
	dir: string,
	siteFile: string,
	extraHttp = '',
	main: NginxMainOptions = {}
): string {
	const temp = ( name: string ) => path.join( dir, 'temp', name );
	const logs = {
		error: main.errorLog ?? path.join( dir, 'error.log' ),
		access: main.accessLog ?? path.join( dir, 'access.log' ),
	};
	return `daemon off;
${ main.user ? `user ${ main.user };\n` : '' }worker_processes 1;
pid ${ path.join( dir, 'nginx.pid' ) };
error_log ${ logs.error } info;
events { worker_connections 1024; }
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log ${ logs.access };
	client_body_temp_path ${ temp( 'body' ) };
	proxy_temp_path ${ temp( 'proxy' ) };
	fastcgi_temp_path ${ temp( 'fastcgi' ) };
	uwsgi_temp_path ${ temp( 'uwsgi' ) };
	scgi_temp_path ${ temp( 'scgi' ) };
	include ${ siteFile };
${ extraHttp }
}
`;
}

/** The main configuration's own choices (each with a default for a test's throwaway nginx). */
export interface NginxMainOptions {
	/** The error log: a file, or `stderr` (default: error.log in the folder). */
	errorLog?: string;
	/** The access log unless a server says otherwise (default: access.log in the folder). */
	accessLog?: string;
	/** The account of the worker processes, when nginx starts as root (nginx's default: nobody). */
	user?: string;
}

/**
 * Writes site.conf and nginx.conf into `dir` (and the `fastcgi_params` a site includes, which
 * nginx looks for beside the main configuration); returns the main configuration's path.
 */
export function writeNginxConfig(
	dir: string,
	siteText: string,
	extraHttp = '',
	options?: NginxMainOptions
): string {
	fs.mkdirSync( path.join( dir, 'temp' ), { recursive: true } );
	const siteFile = path.join( dir, 'site.conf' );
	fs.writeFileSync( siteFile, siteText );
	fs.copyFileSync(
		'/etc/nginx/fastcgi_params',
		path.join( dir, 'fastcgi_params' )
	);
	const main = path.join( dir, 'nginx.conf' );
	fs.writeFileSync(
		main,
		nginxMainConfig( dir, siteFile, extraHttp, options )
	);
	return main;
}

function run( command: string, args: string[] ): CheckResult {
	const result = spawnSync( command, args, { encoding: 'utf8' } );
	if ( result.error ) {
		return {
			ok: false,
			output: `${ command } could not run (${ result.error.message }); npm test installs it`,
		};
	}
	return {
		ok: result.status === 0,
		output: `${ result.stdout }${ result.stderr }`.trim(),
	};
}

/**
 * `nginx -t` on a configuration written by writeNginxConfig(). nginx binds the addresses it
 * listens on while testing, so they must be free (and exist) where it runs.
 * @param mainConfig The main configuration file.
 * @param launcher   A command that runs nginx elsewhere, e.g. [ 'ip', 'netns', 'exec', NAME ].
 */
export function checkNginx(
	mainConfig: string,
	launcher: string[] = []
): CheckResult {
	const args = [
		'-t',
		'-q',
		'-c',
		mainConfig,
		'-p',
		path.dirname( mainConfig ),
	];
	const [ command = 'nginx', ...before ] = [ ...launcher, 'nginx' ];
	return run( command, [ ...before, ...args ] );
}

const APACHE_MODULES = [
	'mpm_event',
	'authz_core',
	'socache_shmcb',
	'ssl',
	'proxy',
	'proxy_http',
	'headers',
];

/** What the WordPress site needs beyond APACHE_MODULES (PHP-FPM, the pool choice, the rules). */
export const APACHE_WORDPRESS_MODULES = [
	...APACHE_MODULES,
	'proxy_fcgi',
	'setenvif',
	'rewrite',
	'dir',
	'mime',
];

/**
 * The smallest Apache main configuration that includes the site, in `dir`; returns its path.
 * @param dir      Folder for the configuration, pid file and logs.
 * @param siteText The site to include.
 * @param listen   `Listen` address (nothing is bound by `apache2 -t`).
 * @param modules  Modules to load.
 */
export function writeApacheConfig(
	dir: string,
	siteText: string,
	listen = '443',
	modules: readonly string[] = APACHE_MODULES
): string {
	fs.mkdirSync( dir, { recursive: true } );
	const siteFile = path.join( dir, 'site.conf' );
	fs.writeFileSync( siteFile, siteText );
	const loads = modules
		.map(
			( name ) =>
				`LoadModule ${ name }_module /usr/lib/apache2/modules/mod_${ name }.so`
		)
		.join( '\n' );
	const main = path.join( dir, 'apache2.conf' );
	fs.writeFileSync(
		main,
		`ServerRoot ${ dir }
DefaultRuntimeDir ${ dir }
PidFile ${ path.join( dir, 'apache2.pid' ) }
ErrorLog ${ path.join( dir, 'error.log' ) }
Mutex file:${ dir } default
ServerName localhost
${ loads }
${ modules.includes( 'mime' ) ? 'TypesConfig /etc/mime.types\n' : '' }Listen ${ listen }
Include ${ siteFile }
`
	);
	return main;
}

/** `apache2 -t` (what `apache2ctl configtest` runs) on a main configuration that includes the site. */
export function checkApache(
	dir: string,
	siteText: string,
	modules: readonly string[] = APACHE_MODULES
): CheckResult {
	return run( 'apache2', [
		'-t',
		'-f',
		writeApacheConfig( dir, siteText, '443', modules ),
	] );
}

/** `php-fpm8.2 -t` on a configuration with a `[global]` section and the pool file. */
export function checkFpmPool( dir: string, poolText: string ): CheckResult {
	fs.mkdirSync( dir, { recursive: true } );
	const main = path.join( dir, 'php-fpm.conf' );
	fs.writeFileSync(
		main,
		`[global]\npid = ${ path.join( dir, 'php-fpm.pid' ) }\nerror_log = ${ path.join( dir, 'php-fpm.log' ) }\n${ poolText }`
	);
	return run( '/usr/sbin/php-fpm8.2', [ '-t', '-y', main ] );
}

/** `systemd-analyze verify`: it exits 0 even on unknown keys, so any output is a failure. */
export function verifyUnit( unitFile: string ): CheckResult {
	const result = run( 'systemd-analyze', [ 'verify', unitFile ] );
	return { ok: result.ok && result.output === '', output: result.output };
}

/** The overall exposure level `systemd-analyze security` gives the unit (0 safest, 10 worst). */
export function unitExposure( unitFile: string ): number {
	const result = run( 'systemd-analyze', [
		'security',
		'--offline=true',
		unitFile,
	] );
	const match = /Overall exposure level for \S+: ([\d.]+)/.exec(
		result.output
	);
	if ( ! result.ok || ! match ) {
		throw new Error(
			`systemd-analyze security gave no exposure level: ${ result.output }`
		);
	}
	return Number( match[ 1 ] );
}
