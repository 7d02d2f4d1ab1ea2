import { configFilePath } from '../config/file';
import { resolveConfig } from '../config/resolve';
import { startBridge } from '../index';
import { createLogger } from '../log';

/**
 * `pulse-sync-bridge start`: runs until SIGTERM or SIGINT, then stops taking deliveries, lets
 * running jobs finish for the shutdown grace, puts the others back in the queue and exits 0.
 * Unpaired, it runs and waits: /v1/ready answers 503 until `pair` writes config.json.
 * @param flags The command line's setting flags.
 */
export async function startCommand(
	flags: Record< string, unknown >
): Promise< void > {
	const logger = createLogger();
	const load = () => resolveConfig( { flags, requireSite: false } );
	const config = load();
	const bridge = await startBridge( config, {
		logger,
		reload: { file: configFilePath( config.dataDir ), load },
	} );
	if ( config.siteUrl === null || config.secrets.length === 0 ) {
		logger.log( 'warn', 'bridge.not_paired', {
			hint: 'run `pulse-sync-bridge pair <site-url> --code CODE` (Pulse Sync » Status » Pair a bridge)',
		} );
	}
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
