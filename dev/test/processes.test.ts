/**
 * Stopping a stack's process group: everything in the group ends, and a process that already
 * exited but was not reaped yet (a zombie of a long-lived parent) does not make it wait forever.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive, startDetached, stopGroup } from '../src/processes';

const log = () =>
	path.join(
		fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-proc-' ) ),
		'out.log'
	);

test( 'stopGroup ends a process and the children it forked', async () => {
	// A shell that forks a sleeping child, like php -S forks its workers.
	const pid = startDetached( {
		name: 'group',
		command: 'sh',
		args: [ '-c', 'sleep 60 & sleep 60' ],
		logFile: log(),
	} );
	await new Promise( ( resolve ) => setTimeout( resolve, 200 ) );
	const members = execFileSync( 'pgrep', [ '-g', String( pid ) ], {
		encoding: 'utf8',
	} )
		.trim()
		.split( '\n' );
	expect( members.length ).toBeGreaterThanOrEqual( 2 );
	await stopGroup( pid, 2000 );
	expect( members.map( Number ).filter( isAlive ) ).toEqual( [] );
} );

test( 'regression: an exited, unreaped member does not keep stopGroup waiting', async () => {
	// This test process is the parent and does not reap until its event loop turns.
	const pid = startDetached( {
		name: 'quick',
		command: 'sh',
		args: [ '-c', 'exit 0' ],
		logFile: log(),
	} );
	const started = Date.now();
	await stopGroup( pid, 1000 );
	expect( Date.now() - started ).toBeLessThan( 5000 );
} );
