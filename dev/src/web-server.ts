/**
 * Which web server serves the stack's WordPress (PULSE_STACK_SERVER):
 *
 * - `php` (default): `php -S` with a router, one process group, one log: the quickest start.
 * - `nginx`: nginx and PHP-FPM from Debian, Pulse Sync's requests in a pool of their own, as
 *   deploy/ ships them: what `npm run bench` and part of `npm test` run, as production does.
 *
 * Every process it starts is returned under its name, for stack.json (so `stack:down` stops
 * them) and for the bench, which stops and restarts WordPress in the middle of a storm.
 */
import fs from 'node:fs';
import { startNginx } from './nginx';
import { fpmSockets, startPhpFpm } from './php-fpm';
import type { OwnedProcess } from './stack-file';
import { startPhpServer } from './services';
import { waitUntil } from './wait';

export type WebServer = 'php' | 'nginx';

const SERVERS: readonly WebServer[] = [ 'php', 'nginx' ];

/** The names under which web-server processes appear in stack.json. */
export const WEB_SERVER_PROCESSES: readonly string[] = [
	'php',
	'php-fpm',
	'nginx',
];

export function requestedServer( fallback: WebServer = 'php' ): WebServer {
	const wanted = process.env.PULSE_STACK_SERVER || fallback;
	if ( ! ( SERVERS as readonly string[] ).includes( wanted ) ) {
		throw new Error(
			`PULSE_STACK_SERVER must be one of ${ SERVERS.join( ', ' ) }, got "${ wanted }"`
		);
	}
	return wanted as WebServer;
}

/** What the stack's summary and the bench's report call it. */
export function describeServer( server: WebServer ): string {
	return server === 'nginx' ? 'nginx + PHP-FPM' : 'php -S';
}

export interface WebServerOptions {
	server: WebServer;
	/** The state folder (configurations, sockets). */
	dir: string;
	wpDir: string;
	port: number;
	logDir: string;
}

/**
 * Starts the web server, telling `own` of each process as soon as it runs (so a start that fails
 * half way still leaves stack.json knowing what to stop). PHP-FPM's pools listen before nginx
 * starts, so nginx never answers 502 for want of them.
 */
export async function startWebServer(
	options: WebServerOptions,
	own: ( owned: OwnedProcess ) => void
): Promise< void > {
	if ( options.server === 'php' ) {
		own( {
			name: 'php',
			pid: startPhpServer( options.wpDir, options.port, options.logDir ),
		} );
		return;
	}
	own( { name: 'php-fpm', pid: startPhpFpm( options.dir, options.logDir ) } );
	const sockets = Object.values( fpmSockets( options.dir ) );
	await waitUntil(
		'the PHP-FPM pools',
		() => sockets.every( ( socket ) => fs.existsSync( socket ) ),
		30000
	);
	own( {
		name: 'nginx',
		pid: startNginx(
			options.dir,
			options.wpDir,
			options.port,
			options.logDir
		),
	} );
}
