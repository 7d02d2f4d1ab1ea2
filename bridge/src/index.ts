import type { AddressInfo } from 'node:net';
import type { BridgeConfig } from './config';
import { CrmConnection, type CrmTuning } from './crm-connection';
import { openDatabase } from './database';
import { crmRoutes } from './http/crm';
import { deliveryRoutes } from './http/deliveries';
import { createHttpServer } from './http/server';
import { statusRoutes } from './http/status';
import { syncUser } from './jobs/sync-user';
import { createLogger, type Logger } from './log';
import { SqliteQueue } from './queue/sqlite-queue';
import { resealLegacyRows } from './sealed-rows';
import { SecretBox } from './secret-box';
import { SettingsSource } from './settings';
import { Signer } from './signature';
import { StormMeter } from './storm';
import { WordPressClient } from './wordpress/client';
import { Worker } from './worker';

export { loadConfig, type BridgeConfig } from './config';

export interface BridgeOptions {
	logger?: Logger;
	/** How long a shutdown waits for running jobs before putting them back in the queue. */
	shutdownGraceMs?: number;
	crmTuning?: CrmTuning;
}

export interface RunningBridge {
	/** e.g. `http://127.0.0.1:8787` */
	url: string;
	close: () => Promise< void >;
}

// Below the 10 s a container runtime waits between SIGTERM and SIGKILL.
const DEFAULT_SHUTDOWN_GRACE_MS = 8000;
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
	const db = openDatabase( config.dbPath );
	const queue = new SqliteQueue( db );
	const currentSecret = config.secrets[ 0 ] as string;
	const tokenBox = new SecretBox( currentSecret, 'crm-tokens-v1' );
	const passwordBox = new SecretBox( currentSecret, 'job-password-v1' );
	const resealed = resealLegacyRows( db, {
		tokens: tokenBox,
		passwords: passwordBox,
	} );
	if ( resealed > 0 ) {
		logger.log( 'info', 'secrets.bound_to_rows', { values: resealed } );
	}
	const requeued = await queue.requeueAbandoned();
	if ( requeued > 0 ) {
		logger.log( 'warn', 'queue.requeued_abandoned', { jobs: requeued } );
	}

	const signer = new Signer( config.secrets, 'bridge' );
	const wordpress = new WordPressClient(
		config.siteUrl,
		signer,
		config.wpConcurrency,
		config.wpBatchSize
	);
	const settings = new SettingsSource( wordpress );
	const connection = new CrmConnection(
		db,
		tokenBox,
		{
			concurrency: config.crmConcurrency,
			requestsPerSecond: config.crmRequestsPerSecond,
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

	const stormMeter = new StormMeter( config.stormRatePerSecond );
	stormMeter.onStart( () =>
		logger.log( 'info', 'storm.started', {
			rate_per_second: config.stormRatePerSecond,
		} )
	);

	const shutdown = new AbortController();
	const server = createHttpServer( {
		routes: [
			...statusRoutes( queue, settings, connection ),
			...deliveryRoutes( queue, {
				meter: stormMeter,
				settle: {
					settleMs: config.stormSettleMs,
					capMs: config.stormSettleCapMs,
				},
			} ),
			...crmRoutes( settings, connection ),
		],
		signer,
		settings,
		logger,
		shutdown: shutdown.signal,
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
	const { port } = server.address() as AddressInfo;
	const urlHost = config.host.includes( ':' )
		? `[${ config.host }]`
		: config.host;
	const url = `http://${ urlHost }:${ port }`;
	logger.log( 'info', 'bridge.started', {
		url,
		site_url: config.siteUrl,
		db: config.dbPath,
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
			await worker.stop(
				options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS
			);
			server.closeAllConnections();
			await closed;
			db.close();
			logger.log( 'info', 'bridge.stopped', {} );
		},
	};
}
