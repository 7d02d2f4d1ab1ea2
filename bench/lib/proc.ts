/** Reading processes from /proc: the stack's services run as process groups (see dev/src/processes.ts). */
import fs from 'node:fs';

/**
 * PIDs in a process group, e.g. the bridge's tsx and the node it forks, or php -S and its workers.
 * @param pgid
 */
export function groupMembers( pgid: number ): number[] {
	const members: number[] = [];
	for ( const entry of fs.readdirSync( '/proc' ) ) {
		if ( ! /^\d+$/.test( entry ) ) {
			continue;
		}
		try {
			const stat = fs.readFileSync( `/proc/${ entry }/stat`, 'utf8' );
			// Fields after the command name, which is in parentheses and may hold spaces.
			const fields = stat
				.slice( stat.lastIndexOf( ')' ) + 2 )
				.split( ' ' );
			if ( Number( fields[ 2 ] ) === pgid ) {
				members.push( Number( entry ) );
			}
		} catch {
			// The process ended while we looked.
		}
	}
	return members;
}

/** Each process's parent and process group, from /proc/<pid>/stat. */
function processTable(): { pid: number; ppid: number; pgid: number }[] {
	const table: { pid: number; ppid: number; pgid: number }[] = [];
	for ( const entry of fs.readdirSync( '/proc' ) ) {
		if ( ! /^\d+$/.test( entry ) ) {
			continue;
		}
		try {
			const stat = fs.readFileSync( `/proc/${ entry }/stat`, 'utf8' );
			const fields = stat
				.slice( stat.lastIndexOf( ')' ) + 2 )
				.split( ' ' );
			table.push( {
				pid: Number( entry ),
				ppid: Number( fields[ 1 ] ),
				pgid: Number( fields[ 2 ] ),
			} );
		} catch {
			// The process ended while we looked.
		}
	}
	return table;
}

/**
 * A service's processes: its process group and every descendant of it, also those that left the
 * group (PostgreSQL's postmaster and each backend call setsid(), so its group holds only the
 * `runuser` that started it).
 * @param pgid The service's process group (its leader's pid).
 */
export function serviceMembers( pgid: number ): number[] {
	const table = processTable();
	const members = new Set(
		table.filter( ( row ) => row.pgid === pgid ).map( ( row ) => row.pid )
	);
	let added = true;
	while ( added ) {
		added = false;
		for ( const row of table ) {
			if ( ! members.has( row.pid ) && members.has( row.ppid ) ) {
				members.add( row.pid );
				added = true;
			}
		}
	}
	return [ ...members ];
}

export function residentKb( pid: number ): number {
	try {
		const status = fs.readFileSync( `/proc/${ pid }/status`, 'utf8' );
		return Number( /VmRSS:\s+(\d+)/.exec( status )?.[ 1 ] ?? 0 );
	} catch {
		return 0;
	}
}

/**
 * What a process is reported as: a PHP-FPM worker's pool (`pool pulse-sync`, from the title FPM
 * gives it), else the executable's name.
 * @param pid The process.
 */
export function processName( pid: number ): string {
	try {
		const title = fs.readFileSync( `/proc/${ pid }/cmdline`, 'utf8' );
		// The title is padded with spaces and NULs to the length of the original command line.
		const pool = /^php-fpm: (pool [^\s\0]+)/.exec( title );
		if ( pool ) {
			return pool[ 1 ] as string;
		}
	} catch {
		// Gone: the executable's name is '' too.
	}
	return commandName( pid );
}

/** The executable's name (`php`, `node`), or '' once the process is gone. */
export function commandName( pid: number ): string {
	try {
		return fs.readFileSync( `/proc/${ pid }/comm`, 'utf8' ).trim();
	} catch {
		return '';
	}
}
