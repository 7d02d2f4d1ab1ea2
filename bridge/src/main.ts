import { ConfigError, loadConfig } from './config';
import { startBridge } from './index';
import { createLogger } from './log';

/** `npm start -w bridge` (node bridge/dist/main.js): the bridge as a service, configured by PULSE_SYNC_* variables. */
async function main(): Promise< void > {
	const logger = createLogger();
	let config;
	try {
		config = loadConfig( process.env );
	} catch ( error ) {
		if ( error instanceof ConfigError ) {
			process.stderr.write( `${ error.message }\n` );
			process.exit( 2 );
		}
		throw error;
	}
	const bridge = await startBridge( config, { logger } );
	let stopping = false;
	const stop = ( signal: string ): void => {
		if ( stopping ) {
			// A second Ctrl-C does not wait for the grace period; running jobs are queued
			// again at the next start, as after a crash.
			logger.log( 'warn', 'bridge.forced_stop', { signal } );
			process.exit( 1 );
		}
		stopping = true;
		logger.log( 'info', 'bridge.stopping', { signal } );
		bridge.close().then(
			() => process.exit( 0 ),
			( error: unknown ) => {
				logger.log( 'error', 'bridge.stop_failed', { error } );
				process.exit( 1 );
			}
		);
	};
	process.on( 'SIGTERM', () => stop( 'SIGTERM' ) );
	process.on( 'SIGINT', () => stop( 'SIGINT' ) );
}

main().catch( ( error: unknown ) => {
	process.stderr.write(
		`Pulse Sync bridge failed to start: ${ ( error as Error ).message }\n`
	);
	process.exit( 1 );
} );
