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
import type { OwnedProcess, StackInfo } from './stack-file';
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

/** One WordPress site the web server serves: its copy of core and its port. */
export interface ServedSite {
	wpDir: string;
	port: number;
}

export interface WebServerOptions {
	server: WebServer;
	/** The state folder (configurations, sockets). */
	dir: string;
	/** Every site of the stack (PULSE_STACK_SITES), the first one first. */
	sites: readonly ServedSite[];
	logDir: string;
}

/** What the web server of a running stack serves, from its stack.json. */
export function servedSites( info: Pick< StackInfo, 'sites' > ): ServedSite[] {
	return info.sites.map( ( site ) => ( {
		wpDir: site.wpDir,
		port: Number( new URL( site.siteUrl ).port ),
	} ) );
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
		// One php -S per site; all named `php`, so the bench's WordPress stop stops them all.
		options.sites.forEach( ( site, index ) =>
			own( {
				name: 'php',
				pid: startPhpServer(
					site.wpDir,
					site.port,
					options.logDir,
					index === 0
						? 'php-server.log'
						: `php-server-${ index + 1 }.log`
				),
			} )
		);
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
		pid: startNginx( options.dir, options.sites, options.logDir ),
	} );
}
