/**
 * PHP-FPM for the nginx stack (PULSE_STACK_SERVER=nginx): Debian's php-fpm8.2 with a configuration
 * of our own in the state folder, two pools: `visitors` (every page, wp-admin, the REST API) and
 * Pulse Sync's pool, which is deploy/php-fpm/pulse-sync.conf itself with its socket moved into the
 * state folder, so the pool the tests and the bench run is the one we ship.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderFpmPool } from './deploy-files';
import { startDetached } from './processes';

export const FPM_BINARY = '/usr/sbin/php-fpm8.2';

/** Visitors' workers: as many as php -S has (PULSE_STACK_PHP_WORKERS), so the two compare. */
const VISITOR_WORKERS = process.env.PULSE_STACK_PHP_WORKERS ?? '4';

export interface FpmSockets {
	visitors: string;
	webhooks: string;
}

/** The sockets of both pools (short paths: a Unix socket's path is at most 107 bytes). */
export function fpmSockets( dir: string ): FpmSockets {
	return {
		visitors: path.join( dir, 'fpm-visitors.sock' ),
		webhooks: path.join( dir, 'fpm-pulse-sync.sock' ),
	};
}

/** What the stack's php -S sets too (dev/src/services.ts), for every pool. */
function phpSettings( logDir: string ): string {
	return [
		'php_admin_value[memory_limit] = 256M',
		'php_admin_flag[display_errors] = off',
		'php_admin_flag[log_errors] = on',
		`php_admin_value[error_log] = ${ path.join( logDir, 'php-errors.log' ) }`,
		'php_admin_value[max_execution_time] = 60',
		'php_admin_flag[opcache.validate_timestamps] = on',
		'php_admin_value[opcache.revalidate_freq] = 0',
		// OPcache is on in FPM by default (and cannot be switched on per pool); the plugin is linked
		// from the repository, so edits must show at once.
		// Workers' stray output (a var_dump in a plugin) goes to the FPM log, not nowhere.
		'catch_workers_output = yes',
		'',
	].join( '\n' );
}

/** Writes php-fpm.conf into `<dir>/php-fpm/`; returns its path. */
export function writeFpmConfig( dir: string, logDir: string ): string {
	const sockets = fpmSockets( dir );
	const confDir = path.join( dir, 'php-fpm' );
	fs.mkdirSync( confDir, { recursive: true } );
	const config = [
		'; Written by the Pulse Sync local stack (dev/src/php-fpm.ts) on every start.',
		'[global]',
		`pid = ${ path.join( confDir, 'php-fpm.pid' ) }`,
		`error_log = ${ path.join( logDir, 'php-fpm.log' ) }`,
		'daemonize = no',
		'',
		'[visitors]',
		`listen = ${ sockets.visitors }`,
		'listen.backlog = 4096',
		'pm = static',
		`pm.max_children = ${ VISITOR_WORKERS }`,
		phpSettings( logDir ),
		renderFpmPool( { listen: sockets.webhooks, ownAccount: true } ),
		phpSettings( logDir ),
	].join( '\n' );
	const file = path.join( confDir, 'php-fpm.conf' );
	fs.writeFileSync( file, config );
	return file;
}

/**
 * Starts php-fpm in the foreground (its own process group, so stopping the group stops the
 * master and every worker). As root it needs `-R`; the pools then run as root too, as the rest
 * of the stack does here.
 */
export function startPhpFpm( dir: string, logDir: string ): number {
	const config = writeFpmConfig( dir, logDir );
	for ( const socket of Object.values( fpmSockets( dir ) ) ) {
		fs.rmSync( socket, { force: true } );
	}
	const asRoot = process.getuid?.() === 0;
	return startDetached( {
		name: 'php-fpm',
		command: FPM_BINARY,
		args: [ '--nodaemonize', ...( asRoot ? [ '-R' ] : [] ), '-y', config ],
		logFile: path.join( logDir, 'php-fpm.log' ),
	} );
}
