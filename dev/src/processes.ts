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

export function isAlive( pid: number ): boolean {
	try {
		process.kill( pid, 0 );
		return true;
	} catch {
		return false;
	}
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

function groupAlive( pid: number ): boolean {
	try {
		process.kill( -pid, 0 );
		return true;
	} catch {
		return false;
	}
}
