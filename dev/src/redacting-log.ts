/**
 * Runs a command and writes its output to a log file with secrets redacted (see redact.ts).
 * Used for `php -S`, whose request log has no off switch and includes full URLs.
 *
 * Run: tsx dev/src/redacting-log.ts <log file> <command> [args…]
 * The command stays in this process's group, so stopping the group stops both.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import { redactLine } from './redact';

const [ logFile, command, ...args ] = process.argv.slice( 2 );
if ( ! logFile || ! command ) {
	console.error( 'usage: redacting-log.ts <log file> <command> [args…]' );
	process.exit( 2 );
}
const log = fs.createWriteStream( logFile, { flags: 'a' } );
const child = spawn( command, args, { stdio: [ 'ignore', 'pipe', 'pipe' ] } );
for ( const stream of [ child.stdout, child.stderr ] ) {
	readline
		.createInterface( { input: stream } )
		.on( 'line', ( line ) => log.write( redactLine( line ) + '\n' ) );
}
child.on( 'exit', ( code, signal ) => {
	log.end( () => process.exit( code ?? ( signal ? 1 : 0 ) ) );
} );
for ( const signal of [ 'SIGTERM', 'SIGINT' ] as const ) {
	process.on( signal, () => child.kill( signal ) );
}
