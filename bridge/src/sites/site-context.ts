/**
 * Everything the bridge keeps for one site: its secrets (SiteLink), its store (queue, delivery
 * log, CRM tokens, import runs: its own SQLite file, or its own schemas on PostgreSQL), its WordPress client and settings, its CRM connection, worker,
 * storm meter and routes. One per entry of the site registry (sites/registry.ts); nothing here is
 * shared with another site, so a site only ever sees its own data.
 */
import path from 'node:path';
import type { BridgeConfig } from '../config';
import { CrmConnection, type CrmTuning } from '../crm-connection';
import { crmRoutes } from '../http/crm';
import { deliveryRoutes } from '../http/deliveries';
import { importRoutes } from '../http/imports';
import { readyRoute } from '../http/ready';
import type { SiteFront } from '../http/server';
import { statusRoutes } from '../http/status';
import { startImports } from '../imports/start';
import { syncUser } from '../jobs/sync-user';
import type { Logger } from '../log';
import { siteSchemas } from '../site-schemas';
import { SecretBox } from '../secret-box';
import { SettingsSource } from '../settings';
import { SiteLink } from '../site-link';
import { openStores, type BridgeStores } from '../stores';
import { StormMeter } from '../storm';
import { WordPressClient } from '../wordpress/client';
import { Worker } from '../worker';
import { LEGACY_SITE_ID, type SiteEntry } from './registry';

// On PostgreSQL an attempt ends by three quarters of its lease: the last quarter is the margin
// for recording it before another bridge may take the job over.
const ATTEMPT_SHARE_OF_LEASE = 0.75;

export interface SiteContext {
	id: string;
	link: SiteLink;
	stores: BridgeStores;
	front: SiteFront;
	start: () => void;
	/** Removes finished deliveries older than the cutoff; returns how many. */
	purge: ( before: number ) => Promise< number >;
	/** Stops the imports and the worker (its running jobs get the grace to finish). */
	stop: ( graceMs: number ) => Promise< void >;
	/** After `stop()`, once no request can reach the site any more. */
	closeStore: () => Promise< void >;
}

/**
 * Where a site's SQLite file lives: the configured file for the top-level site, else
 * `<folder of that file>/sites/<id>.db` (removed with the site by `unpair`).
 * @param config The bridge's configuration.
 * @param id     The site's id.
 */
export function siteDbPath(
	config: Pick< BridgeConfig, 'dbPath' >,
	id: string
): string {
	return id === LEGACY_SITE_ID
		? config.dbPath
		: path.join( path.dirname( config.dbPath ), 'sites', `${ id }.db` );
}

/**
 * Opens the site's store and wires its parts; nothing runs until `start()`.
 * @param entry            The site (an unpaired top-level site has no URL yet).
 * @param config           The bridge's configuration.
 * @param shared           Logger, shutdown signal and CRM tuning of the whole bridge.
 * @param shared.logger    Where the site's events are logged (with its id).
 * @param shared.shutdown  Aborted when the bridge stops: waiting requests answer at once.
 * @param shared.crmTuning CRM client tuning (tests).
 */
export async function openSite(
	entry: Pick< SiteEntry, 'id' > & {
		siteUrl: string | null;
		secrets: string[];
		previousSecretUntil: number | null;
	},
	config: BridgeConfig,
	shared: { logger: Logger; shutdown: AbortSignal; crmTuning?: CrmTuning }
): Promise< SiteContext > {
	const logger = siteLogger( shared.logger, entry.id );
	const link = new SiteLink( entry );
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
		{ ...config, dbPath: siteDbPath( config, entry.id ) },
		siteSchemas( entry.id === LEGACY_SITE_ID ? null : entry.id ),
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
		shared.crmTuning,
		stores.paceShare
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
			...( config.databaseUrl !== null && {
				attemptDeadlineMs: Math.round(
					config.queueLeaseMs * ATTEMPT_SHARE_OF_LEASE
				),
			} ),
			logger,
		}
	);

	const imports = startImports( {
		runs: stores.runs,
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

	const front: SiteFront = {
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
			...importRoutes( imports.routes ),
		],
		signer: link,
		settings,
		replays: stores.replays,
	};

	return {
		id: entry.id,
		link,
		stores,
		front,
		start: () => {
			worker.start();
			imports.start();
		},
		purge: ( before ) => queue.purgeFinishedBefore( before ),
		stop: async ( graceMs ) => {
			await imports.stop();
			await worker.stop( graceMs );
		},
		closeStore: () => stores.close(),
	};
}

/**
 * The bridge's logger with the site's id on every line (none for the top-level site, whose
 * lines stay as they were before the bridge served several sites).
 * @param logger The bridge's logger.
 * @param id     The site's id.
 */
function siteLogger( logger: Logger, id: string ): Logger {
	if ( id === LEGACY_SITE_ID ) {
		return logger;
	}
	return {
		log: ( level, event, data = {} ) =>
			logger.log( level, event, { site: id, ...data } ),
	};
}
