/**
 * nginx for the nginx stack (PULSE_STACK_SERVER=nginx): Debian's nginx with a configuration of
 * our own in the state folder (`nginx -c FILE -p PREFIX`, `daemon off;`), whose server block is
 * deploy/nginx/wordpress-pulse-sync.conf itself with its EDIT lines set for the stack.
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

const TSX = path.join( ROOT, 'node_modules', '.bin', 'tsx' );

/** Writes the configuration into `<dir>/nginx/`; returns the main file's path. */
export function writeStackNginxConfig(
	dir: string,
	wpDir: string,
	port: number,
	logDir: string
): string {
	const accessLog = path.join( logDir, 'nginx-access.log' );
	const sockets = fpmSockets( dir );
	const site = renderNginxWordPress( {
		listen: `127.0.0.1:${ port }`,
		serverName: '127.0.0.1',
		root: wpDir,
		visitorsSocket: sockets.visitors,
		webhooksSocket: sockets.webhooks,
		accessLog,
	} ).replace( /^\s*listen \[::\]:.*$/m, '' ); // Loopback only: no IPv6 wildcard.
	const config = writeNginxConfig( path.join( dir, 'nginx' ), site, '', {
		errorLog: 'stderr',
		accessLog,
		// As root (CI, these machines), workers run as root too: the state folder, the FPM
		// sockets and the linked plugin belong to whoever started the stack, as with php -S.
		...( process.getuid?.() === 0 ? { user: 'root' } : {} ),
	} );
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
	wpDir: string,
	port: number,
	logDir: string
): number {
	const config = writeStackNginxConfig( dir, wpDir, port, logDir );
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
