import type { AddressInfo } from 'node:net';
import { ConfigError, type BridgeConfig } from './config';
import { watchFile } from './config/watch';
import type { CrmTuning } from './crm-connection';
import { createHttpServer } from './http/server';
import { createLogger, type Logger } from './log';
import {
	configuredSites,
	LEGACY_SITE_ID,
	type SiteEntry,
} from './sites/registry';
import { openSiteRegistry } from './sites/open-registry';
import type { SiteRegistryStore } from './sites/registry-store';
import { openSite, type SiteContext } from './sites/site-context';

export { loadConfig, type BridgeConfig } from './config';

export interface BridgeOptions {
	logger?: Logger;
	/** Overrides `config.shutdownGraceMs`. */
	shutdownGraceMs?: number;
	crmTuning?: CrmTuning;
	/**
	 * Re-read the configuration when this file (config.json) changes: a re-pair switches a site's
	 * URL and secrets at once, a site added by `pair` starts serving and one removed by `unpair`
	 * stops. Other settings take effect at the next start.
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
 * Wires the bridge together and starts serving; `close()` shuts it down gracefully. The
 * top-level site (always present, paired or not) is served at the unprefixed paths, every other
 * site of the registry under `/sites/<id>/` (sites/registry.ts).
 * @param config  Validated configuration (see config.ts).
 * @param options Logger, shutdown grace and CRM client tuning.
 */
export async function startBridge(
	config: BridgeConfig,
	options: BridgeOptions = {}
): Promise< RunningBridge > {
	const logger = options.logger ?? createLogger();
	const shutdown = new AbortController();
	const graceMs = options.shutdownGraceMs ?? config.shutdownGraceMs;
	const shared = {
		logger,
		shutdown: shutdown.signal,
		crmTuning: options.crmTuning,
	};
	const legacy = await openSite(
		{ id: LEGACY_SITE_ID, ...config },
		config,
		shared
	);
	// On PostgreSQL the registry is the shared table every bridge follows; on SQLite, config.json.
	const registry =
		config.databaseUrl === null ? null : await openSiteRegistry( config );
	if ( registry !== null && ( config.sites ?? [] ).length > 0 ) {
		logger.log( 'warn', 'sites.file_entries_ignored', {
			hint: 'on PostgreSQL the sites are in the database: pair them again with --database',
		} );
	}
	const others = new Map< string, SiteContext >();
	const initialSites =
		registry === null ? ( config.sites ?? [] ) : await registry.list();
	for ( const entry of initialSites ) {
		others.set( entry.id, await openSite( entry, config, shared ) );
	}
	// One change of the running sites at a time, whether config.json or the table announced it.
	let applying = Promise.resolve();
	const applyInTurn = ( entries: readonly SiteEntry[] ): Promise< void > =>
		( applying = applying.then( () => applySites( entries ) ) );
	const stopWatching = options.reload
		? watchConfig( options.reload, logger, async ( next ) => {
				legacy.link.update( next );
				if ( registry === null ) {
					await applyInTurn( next.sites ?? [] );
				}
			} )
		: () => {};
	const stopPolling =
		registry === null
			? () => {}
			: pollRegistry( registry, initialSites, logger, applyInTurn );

	/**
	 * Brings the running sites in line with the registry: re-paired ones get their new secrets,
	 * added ones start, removed ones stop (their data is `unpair`'s to remove).
	 * @param entries The registry's sites below the top-level one.
	 */
	async function applySites(
		entries: readonly SiteEntry[]
	): Promise< void > {
		const wanted = new Set( entries.map( ( entry ) => entry.id ) );
		for ( const [ id, site ] of others ) {
			if ( ! wanted.has( id ) ) {
				// Unrouted first, so no request reaches the store being closed.
				others.delete( id );
				await site.stop( graceMs );
				await site.closeStore();
				logger.log( 'info', 'site.stopped', { site: id } );
			}
		}
		for ( const entry of entries ) {
			const running = others.get( entry.id );
			if ( running !== undefined ) {
				running.link.update( entry );
				continue;
			}
			const site = await openSite( entry, config, shared );
			others.set( entry.id, site );
			site.start();
			logger.log( 'info', 'site.started', {
				site: entry.id,
				site_url: entry.siteUrl,
			} );
		}
	}
	const allSites = (): SiteContext[] => [ legacy, ...others.values() ];

	const server = createHttpServer( {
		...legacy.front,
		site: ( id ) => others.get( id )?.front,
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
		const before = Date.now() - config.logRetentionDays * DAY_MS;
		for ( const site of allSites() ) {
			const removed = await site.purge( before );
			if ( removed > 0 ) {
				logger.log( 'info', 'log.purged', {
					deliveries: removed,
					...( site.id !== LEGACY_SITE_ID && { site: site.id } ),
				} );
			}
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

	for ( const site of allSites() ) {
		site.start();
	}
	const { port } = server.address() as AddressInfo;
	const urlHost = config.host.includes( ':' )
		? `[${ config.host }]`
		: config.host;
	const url = `http://${ urlHost }:${ port }`;
	logger.log( 'info', 'bridge.started', {
		url,
		site_url: config.siteUrl,
		paired: legacy.link.isPaired(),
		sites: allSites().filter( ( site ) => site.link.isPaired() ).length,
		db: legacy.stores.description,
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
			stopPolling();
			await applying;
			await Promise.all(
				allSites().map( ( site ) => site.stop( graceMs ) )
			);
			server.closeAllConnections();
			await closed;
			await Promise.all(
				allSites().map( ( site ) => site.closeStore() )
			);
			await registry?.close();
			logger.log( 'info', 'bridge.stopped', {} );
		},
	};
}

const REGISTRY_POLL_MS = 1000;

/**
 * Follows the shared registry (PostgreSQL): a site paired or unpaired through any bridge is
 * served or dropped here within a poll. Polled rather than NOTIFY'd: it changes a few times a
 * year, and a poll also catches a change made while this bridge's connection was down.
 * @param registry The shared registry.
 * @param initial  The sites the bridge started with.
 * @param logger   Where a failed read is logged (the bridge keeps the sites it has).
 * @param apply    Brings the running sites in line with the registry.
 */
function pollRegistry(
	registry: SiteRegistryStore,
	initial: readonly SiteEntry[],
	logger: Logger,
	apply: ( entries: readonly SiteEntry[] ) => Promise< void >
): () => void {
	let last = JSON.stringify( initial );
	let polling = false;
	const timer = setInterval( () => {
		if ( polling ) {
			return;
		}
		polling = true;
		registry
			.list()
			.then( async ( entries ) => {
				const seen = JSON.stringify( entries );
				if ( seen !== last ) {
					await apply( entries );
					logger.log( 'info', 'sites.reloaded', {
						sites: entries.length,
					} );
				}
				last = seen;
			} )
			.catch( ( error: unknown ) =>
				logger.log( 'error', 'sites.reload_failed', { error } )
			)
			.finally( () => {
				polling = false;
			} );
	}, REGISTRY_POLL_MS );
	timer.unref();
	return () => clearInterval( timer );
}

/**
 * Applies a changed config.json to the running bridge, one change at a time; a broken file is
 * logged and ignored (the bridge keeps the sites and settings it has).
 * @param reload The file and how to load the configuration.
 * @param logger Where the outcome is logged.
 * @param apply  Updates the running sites.
 */
function watchConfig(
	reload: NonNullable< BridgeOptions[ 'reload' ] >,
	logger: Logger,
	apply: ( next: BridgeConfig ) => Promise< void >
): () => void {
	let applying = Promise.resolve();
	return watchFile( reload.file, () => {
		let next: BridgeConfig;
		try {
			next = reload.load();
		} catch ( error ) {
			logger.log(
				'error',
				'config.reload_failed',
				error instanceof ConfigError
					? { problems: error.problems }
					: { error }
			);
			return;
		}
		applying = applying
			.then( () => apply( next ) )
			.then(
				() =>
					logger.log( 'info', 'config.reloaded', {
						site_url: next.siteUrl,
						paired:
							next.siteUrl !== null && next.secrets.length > 0,
						secrets: next.secrets.length,
						sites: configuredSites( next ).length,
					} ),
				( error: unknown ) =>
					logger.log( 'error', 'config.reload_failed', { error } )
			);
	} );
}
