/**
 * nginx for the nginx stack (PULSE_STACK_SERVER=nginx): Debian's nginx with a configuration of
 * our own in the state folder (`nginx -c FILE -p PREFIX`, `daemon off;`), whose server blocks are
 * deploy/nginx/wordpress-pulse-sync.conf itself with its EDIT lines set for the stack, one per
 * site (PULSE_STACK_SITES), each on its own port; the sites share the PHP-FPM pools.
 *
 * The access log (logs/nginx-access.log) is written in the snippet's format, which omits the query
 * string and so the access key. The error log goes through the redactor as php -S's output does
 * (dev/src/redacting-log.ts): nginx writes there the whole request line of a request that failed
 * upstream, access key included.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderNginxWordPress, writeNginxConfig } from './deploy-files';
import { fpmSockets } from './php-fpm';
import { ROOT } from './paths';
import { startDetached } from './processes';
import type { ServedSite } from './web-server';

const TSX = path.join( ROOT, 'node_modules', '.bin', 'tsx' );

/** Writes the configuration into `<dir>/nginx/`; returns the main file's path. */
export function writeStackNginxConfig(
	dir: string,
	sites: readonly ServedSite[],
	logDir: string
): string {
	const accessLog = path.join( logDir, 'nginx-access.log' );
	const sockets = fpmSockets( dir );
	const rendered = sites.map(
		( site ) =>
			renderNginxWordPress( {
				listen: `127.0.0.1:${ site.port }`,
				serverName: '127.0.0.1',
				root: site.wpDir,
				visitorsSocket: sockets.visitors,
				webhooksSocket: sockets.webhooks,
				accessLog,
			} ).replace( /^\s*listen \[::\]:.*$/m, '' ) // Loopback only: no IPv6 wildcard.
	);
	// The file's maps, upstreams and log format once (nginx refuses them twice), then each
	// site's `server` block.
	const servers = rendered.map( ( file, index ) =>
		index === 0 ? file : file.slice( file.search( /^server \{/m ) )
	);
	const config = writeNginxConfig(
		path.join( dir, 'nginx' ),
		servers.join( '\n' ),
		'',
		{
			errorLog: 'stderr',
			accessLog,
			// As root (CI, these machines), workers run as root too: the state folder, the FPM
			// sockets and the linked plugin belong to whoever started the stack, as with php -S.
			...( process.getuid?.() === 0 ? { user: 'root' } : {} ),
		}
	);
	// Debian's fastcgi_params sends HTTP_HOST as `$host`, without the port: right on 80 and 443,
	// but the stack listens elsewhere, and wp-admin builds its canonical URL from HTTP_HOST.
	const params = path.join( path.dirname( config ), 'fastcgi_params' );
	fs.writeFileSync(
		params,
		fs
			.readFileSync( params, 'utf8' )
			.replace(
				/^(fastcgi_param\s+HTTP_HOST\s+)\$host;/m,
				'$1$host:$server_port;'
			)
	);
	return config;
}

export function startNginx(
	dir: string,
	sites: readonly ServedSite[],
	logDir: string
): number {
	const config = writeStackNginxConfig( dir, sites, logDir );
	const logFile = path.join( logDir, 'nginx.log' );
	return startDetached( {
		name: 'nginx',
		command: TSX,
		args: [
			path.join( ROOT, 'dev', 'src', 'redacting-log.ts' ),
			logFile,
			'nginx',
			'-c',
			config,
			'-p',
			path.dirname( config ),
		],
		logFile,
	} );
}
