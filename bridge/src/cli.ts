#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=20
/**
 * The `pulse-sync-bridge` command (package.json "bin"); see `pulse-sync-bridge --help`.
 *
 * The #! line gives node the bridge's memory settings wherever the command runs (the systemd
 * unit, the container, npx, the dev stack): a young generation of 4 MB per semi-space instead of
 * 16, and an old generation grown by 20% after each full collection instead of up to 4×. Neither
 * is a cap: a bridge whose live set grows (many sites) collects more often, it is not killed.
 * With 10,000 deliveries queued the bridge peaked at 114 MB instead of 182 MB, and storms ran no
 * slower (README, "After that run"). Node refuses `--heap-growing-percent` in NODE_OPTIONS, so both
 * are here; `env -S` splits them into arguments (coreutils 8.30+: Debian 11 and later).
 */
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
