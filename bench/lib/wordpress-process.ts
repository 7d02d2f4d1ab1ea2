/**
 * Stopping WordPress (the stack's web server: php -S and its workers, or nginx and PHP-FPM) for a
 * while in the middle of a storm, then starting it again on the same port and recording the new
 * PIDs in stack.json, so that `down()` still stops exactly what the stack owns.
 */
import { stopGroup } from '../../dev/src/processes';
import { stackFile } from '../../dev/src/paths';
import { writeStack, type OwnedProcess } from '../../dev/src/stack-file';
import { answers, waitUntil } from '../../dev/src/wait';
import {
	servedSites,
	startWebServer,
	WEB_SERVER_PROCESSES,
} from '../../dev/src/web-server';
import { stack } from '../../integration/support/stack';
import { sleep } from './clock';
import path from 'node:path';

const isWebServer = ( owned: OwnedProcess ) =>
	WEB_SERVER_PROCESSES.includes( owned.name );

export async function stopWordPressFor( downMs: number ): Promise< void > {
	const info = stack();
	const running = info.processes.filter( isWebServer );
	if ( running.length === 0 ) {
		throw new Error( 'the stack has no web server process' );
	}
	// nginx first, as stack:down does (reverse order of starting).
	for ( const owned of [ ...running ].reverse() ) {
		await stopGroup( owned.pid );
	}
	await sleep( downMs );
	const started: OwnedProcess[] = [];
	await startWebServer(
		{
			server: info.server,
			dir: path.dirname( info.wpDir ),
			sites: servedSites( info ),
			logDir: info.logDir,
		},
		( owned ) => started.push( owned )
	);
	// Re-read: the bridge may have been restarted (and recorded) meanwhile.
	const current = stack();
	current.processes = current.processes
		.filter( ( owned ) => ! isWebServer( owned ) )
		.concat( started );
	writeStack( current, process.env.PULSE_STACK_FILE ?? stackFile() );
	await waitUntil(
		'WordPress to answer again',
		() => answers( `${ info.siteUrl }/wp-login.php` ),
		30000
	);
}
