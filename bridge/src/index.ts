import type { AddressInfo } from 'node:net';
import { ConfigError, type BridgeConfig } from './config';
import { watchFile } from './config/watch';
import { CrmConnection, type CrmTuning } from './crm-connection';
import { crmRoutes } from './http/crm';
import { deliveryRoutes } from './http/deliveries';
import { importRoutes, importsUnavailableRoutes } from './http/imports';
import { readyRoute } from './http/ready';
import { createHttpServer } from './http/server';
import { statusRoutes } from './http/status';
import { startImports } from './imports/start';
import { syncUser } from './jobs/sync-user';
import { createLogger, type Logger } from './log';
import { SecretBox } from './secret-box';
import { SettingsSource } from './settings';
import { SiteLink } from './site-link';
import { openStores } from './stores';
import { StormMeter } from './storm';
import { WordPressClient } from './wordpress/client';
import { Worker } from './worker';

export { loadConfig, type BridgeConfig } from './config';

export interface BridgeOptions {
	logger?: Logger;
	/** Overrides `config.shutdownGraceMs`. */
	shutdownGraceMs?: number;
	crmTuning?: CrmTuning;
	/**
	 * Re-read the configuration when this file (config.json) changes: a re-pair switches the
	 * site URL and secrets at once. Other settings take effect at the next start.
	 */
	reload?: { file: string; load: () => BridgeConfig };
}

export interface RunningBridge {
	/** e.g. `http://127.0.0.1:8787` */
	url: string;
	close: () => Promise< void >;
}

const PURGE_INTERVAL_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Wires the bridge together and starts serving; `close()` shuts it down gracefully.
 * @param config  Validated configuration (see config.ts).
 * @param options Logger, shutdown grace and CRM client tuning.
 */
export async function startBridge(
	config: BridgeConfig,
	options: BridgeOptions = {}
): Promise< RunningBridge > {
	const logger = options.logger ?? createLogger();
	const link = new SiteLink( config );
	const stopWatching = options.reload
		? watchConfig( link, options.reload, logger )
		: () => {};
	// Sealed under the current secret; the previous one of a re-pair still opens (SecretBox).
	const tokenBox = new SecretBox(
		() => link.storageSecrets(),
		'crm-tokens-v1'
	);
	const passwordBox = new SecretBox(
		() => link.storageSecrets(),
		'job-password-v1'
	);
	const stores = await openStores(
		config,
		{ tokens: tokenBox, passwords: passwordBox },
		logger
	);
	const { queue } = stores;
	const requeued = await queue.requeueAbandoned();
	if ( requeued > 0 ) {
		logger.log( 'warn', 'queue.requeued_abandoned', { jobs: requeued } );
	}

	const wordpress = new WordPressClient(
		() => link.siteUrl(),
		link,
		config.wpConcurrency,
		config.wpBatchSize
	);
	const settings = new SettingsSource( wordpress );
	const connection = new CrmConnection(
		stores.tokens,
		{
			concurrency: config.crmConcurrency,
			ceiling: config.crmRequestsPerSecond,
		},
		logger,
		options.crmTuning
	);

	const worker = new Worker(
		queue,
		( job, notes ) =>
			connection.observe(
				syncUser(
					job,
					{
						settings: () => settings.current(),
						crm: ( current ) => connection.client( current.crm ),
						writeUser: ( write ) => wordpress.writeUser( write ),
						storePassword: ( jobId, sealed ) =>
							queue.storePassword( jobId, sealed ),
						passwordBox,
					},
					notes
				)
			),
		{
			workers: config.workers,
			retryScheduleMs: config.retryScheduleMs,
			logger,
		}
	);

	// Import runs live in the embedded SQLite file; a bridge on PostgreSQL answers their routes 501.
	const imports =
		stores.sqlite === null
			? null
			: startImports( {
					db: stores.sqlite,
					queue,
					settings,
					connection,
					wordpress,
					logger,
				} );

	const stormMeter = new StormMeter( config.stormRatePerSecond, {
		shared: stores.stormCounts,
	} );
	stormMeter.onStart( () =>
		logger.log( 'info', 'storm.started', {
			rate_per_second: config.stormRatePerSecond,
		} )
	);

	const shutdown = new AbortController();
	const server = createHttpServer( {
		routes: [
			...statusRoutes( queue, settings, connection ),
			readyRoute( () => ( {
				database: stores.isOpen(),
				site_configured: link.isPaired(),
			} ) ),
			...deliveryRoutes( queue, {
				meter: stormMeter,
				settle: {
					settleMs: config.stormSettleMs,
					capMs: config.stormSettleCapMs,
				},
			} ),
			...crmRoutes( settings, connection ),
			...( imports === null
				? importsUnavailableRoutes()
				: importRoutes( imports.routes ) ),
		],
		signer: link,
		settings,
		logger,
		shutdown: shutdown.signal,
		replays: stores.replays,
	} );
	await new Promise< void >( ( resolve, reject ) => {
		server.once( 'error', reject );
		server.listen( config.port, config.host, () => {
			server.off( 'error', reject );
			resolve();
		} );
	} );

	const purge = async (): Promise< void > => {
		const removed = await queue.purgeFinishedBefore(
			Date.now() - config.logRetentionDays * DAY_MS
		);
		if ( removed > 0 ) {
			logger.log( 'info', 'log.purged', { deliveries: removed } );
		}
	};
	await purge();
	const purgeTimer = setInterval(
		() =>
			purge().catch( ( error: unknown ) =>
				logger.log( 'error', 'log.purge_failed', { error } )
			),
		PURGE_INTERVAL_MS
	);
	purgeTimer.unref();

	worker.start();
	imports?.start();
	const { port } = server.address() as AddressInfo;
	const urlHost = config.host.includes( ':' )
		? `[${ config.host }]`
		: config.host;
	const url = `http://${ urlHost }:${ port }`;
	logger.log( 'info', 'bridge.started', {
		url,
		site_url: config.siteUrl,
		paired: link.isPaired(),
		db: stores.description,
		workers: config.workers,
	} );

	return {
		url,
		close: async () => {
			const closed = new Promise< void >( ( resolve ) =>
				server.close( () => resolve() )
			);
			// Requests waiting for a job answer 202 now; no new connections are taken.
			shutdown.abort();
			server.closeIdleConnections();
			clearInterval( purgeTimer );
			stopWatching();
			await imports?.stop();
			await worker.stop(
				options.shutdownGraceMs ?? config.shutdownGraceMs
			);
			server.closeAllConnections();
			await closed;
			await stores.close();
			logger.log( 'info', 'bridge.stopped', {} );
		},
	};
}

/**
 * Applies a changed config.json to the running bridge; a broken file is logged and ignored
 * (the bridge keeps the settings it has).
 * @param link   The site link to update.
 * @param reload The file and how to load the configuration.
 * @param logger Where the outcome is logged.
 */
function watchConfig(
	link: SiteLink,
	reload: NonNullable< BridgeOptions[ 'reload' ] >,
	logger: Logger
): () => void {
	return watchFile( reload.file, () => {
		try {
			const next = reload.load();
			link.update( next );
			logger.log( 'info', 'config.reloaded', {
				site_url: next.siteUrl,
				paired: link.isPaired(),
				secrets: next.secrets.length,
			} );
		} catch ( error ) {
			logger.log(
				'error',
				'config.reload_failed',
				error instanceof ConfigError
					? { problems: error.problems }
					: { error }
			);
		}
	} );
}
