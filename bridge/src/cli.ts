#!/usr/bin/env node
/** The `pulse-sync-bridge` command (package.json "bin"); see `pulse-sync-bridge --help`. */
import { runCli } from './cli/run';
import { EXIT } from './cli/exit-codes';

runCli( process.argv.slice( 2 ) ).then(
	( code ) => {
		if ( code !== null ) {
			process.exitCode = code;
		}
	},
	( error: unknown ) => {
		process.stderr.write(
			`pulse-sync-bridge: ${ ( error as Error ).message }\n`
		);
		process.exitCode = EXIT.failed;
	}
);
