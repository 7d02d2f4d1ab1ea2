/**
 * Stopping WordPress (the stack's `php -S` and its workers) for a while in the middle of a storm,
 * then starting it again on the same port and recording its new PID in stack.json, so that
 * `down()` still stops exactly what the stack owns.
 */
import { stopGroup } from '../../dev/src/processes';
import { startPhpServer } from '../../dev/src/services';
import { stackFile } from '../../dev/src/paths';
import { writeStack } from '../../dev/src/stack-file';
import { answers, waitUntil } from '../../dev/src/wait';
import { stack } from '../../integration/support/stack';
import { sleep } from './clock';

export async function stopWordPressFor( downMs: number ): Promise< void > {
	const info = stack();
	const php = info.processes.find( ( owned ) => owned.name === 'php' );
	if ( ! php ) {
		throw new Error( 'the stack has no php process' );
	}
	await stopGroup( php.pid );
	await sleep( downMs );
	const pid = startPhpServer(
		info.wpDir,
		Number( new URL( info.siteUrl ).port ),
		info.logDir
	);
	// Re-read: the bridge may have been restarted (and recorded) meanwhile.
	const current = stack();
	current.processes = current.processes
		.filter( ( owned ) => owned.name !== 'php' )
		.concat( { name: 'php', pid } );
	writeStack( current, process.env.PULSE_STACK_FILE ?? stackFile() );
	await waitUntil(
		'WordPress to answer again',
		() => answers( `${ info.siteUrl }/wp-login.php` ),
		30000
	);
}
