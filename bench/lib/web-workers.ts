/**
 * How many PHP workers serve WordPress, counted from /proc rather than assumed: php -S's workers
 * (the php processes of its group but php -S itself), or each PHP-FPM pool's workers (FPM names
 * them `php-fpm: pool NAME` in their command line).
 */
import fs from 'node:fs';
import type { OwnedProcess } from '../../dev/src/stack-file';
import { commandName, groupMembers } from './proc';

function commandLine( pid: number ): string {
	try {
		return fs
			.readFileSync( `/proc/${ pid }/cmdline`, 'utf8' )
			.replace( /\0/g, ' ' )
			.trim();
	} catch {
		return '';
	}
}

/** E.g. "4 workers" (php -S) or "visitors 4 workers, pulse-sync 4 workers" (FPM). */
export function describeWorkers( processes: readonly OwnedProcess[] ): string {
	const fpm = processes.find( ( owned ) => owned.name === 'php-fpm' );
	if ( fpm ) {
		const pools = new Map< string, number >();
		for ( const pid of groupMembers( fpm.pid ) ) {
			const pool = /^php-fpm: pool (\S+)/.exec(
				commandLine( pid )
			)?.[ 1 ];
			if ( pool ) {
				pools.set( pool, ( pools.get( pool ) ?? 0 ) + 1 );
			}
		}
		return [ ...pools ]
			.map( ( [ pool, count ] ) => `pool ${ pool } ${ count } workers` )
			.join( ', ' );
	}
	const php = processes.find( ( owned ) => owned.name === 'php' );
	if ( ! php ) {
		return 'unknown workers';
	}
	const workers =
		groupMembers( php.pid ).filter(
			( pid ) => commandName( pid ) === 'php'
		).length - 1;
	return `${ workers } workers`;
}
