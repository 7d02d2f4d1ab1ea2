/**
 * Background processes the stack owns. Each one is started in its own process group so that
 * stopping it also stops its children (php -S forks PHP_CLI_SERVER_WORKERS workers, tsx forks
 * node), and nothing the stack did not start is ever signalled.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export interface StartOptions {
	name: string;
	command: string;
	args: string[];
	logFile: string;
	env?: NodeJS.ProcessEnv;
	cwd?: string;
}

export function startDetached( options: StartOptions ): number {
	const log = fs.openSync( options.logFile, 'a' );
	const child = spawn( options.command, options.args, {
		cwd: options.cwd,
		env: { ...process.env, ...options.env },
		detached: true,
		stdio: [ 'ignore', log, log ],
	} );
	fs.closeSync( log );
	if ( child.pid === undefined ) {
		throw new Error(
			`could not start ${ options.name } (${ options.command })`
		);
	}
	child.unref();
	return child.pid;
}

/** Whether the process runs (a zombie, exited but not yet reaped, does not). */
export function isAlive( pid: number ): boolean {
	const stat = readStat( String( pid ) );
	return stat !== null && stat.state !== 'Z';
}

/** State and process group from /proc/<pid>/stat, or null when there is no such process. */
function readStat( pid: string ): { state: string; pgrp: number } | null {
	let stat: string;
	try {
		stat = fs.readFileSync( `/proc/${ pid }/stat`, 'utf8' );
	} catch {
		return null;
	}
	// "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
	const [ state = '', , pgrp ] = stat
		.slice( stat.lastIndexOf( ')' ) + 2 )
		.split( ' ' );
	return { state, pgrp: Number( pgrp ) };
}

const sleep = ( ms: number ) =>
	new Promise( ( resolve ) => setTimeout( resolve, ms ) );

/**
 * SIGTERM to the whole group, SIGKILL after `graceMs` if anything is left.
 */
export async function stopGroup(
	pid: number,
	graceMs = 5000
): Promise< void > {
	const signalGroup = ( signal: NodeJS.Signals ) => {
		try {
			process.kill( -pid, signal );
		} catch {
			// The group is already gone.
		}
	};
	signalGroup( 'SIGTERM' );
	const deadline = Date.now() + graceMs;
	while ( Date.now() < deadline ) {
		if ( ! groupAlive( pid ) ) {
			return;
		}
		await sleep( 100 );
	}
	signalGroup( 'SIGKILL' );
	while ( groupAlive( pid ) ) {
		await sleep( 50 );
	}
}

/**
 * Whether any process of the group still runs. Zombies do not count: a stack started by a
 * long-lived process (the test runner) stays that process's children, and their exit is only
 * reaped when its event loop turns, which it does not while it waits for a test suite.
 */
function groupAlive( pgid: number ): boolean {
	return fs.readdirSync( '/proc' ).some( ( entry ) => {
		if ( ! /^\d+$/.test( entry ) ) {
			return false;
		}
		const stat = readStat( entry );
		return stat !== null && stat.pgrp === pgid && stat.state !== 'Z';
	} );
}
