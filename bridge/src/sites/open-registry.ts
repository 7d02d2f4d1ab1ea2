import type { BridgeConfig } from '../config';
import {
	FileSiteRegistry,
	PgSiteRegistry,
	type SiteRegistryStore,
} from './registry-store';
import { siteDbPath } from './site-context';

/**
 * The registry of the bridge's store: config.json on SQLite, the shared table on PostgreSQL.
 * @param config The bridge's configuration.
 */
export function openSiteRegistry(
	config: Pick<
		BridgeConfig,
		'databaseUrl' | 'dataDir' | 'dbPath' | 'allowHttpSite'
	>
): Promise< SiteRegistryStore > {
	return config.databaseUrl === null
		? Promise.resolve(
				new FileSiteRegistry(
					config.dataDir,
					config.allowHttpSite,
					( id ) => siteDbPath( config, id )
				)
			)
		: PgSiteRegistry.open( config.databaseUrl, config.allowHttpSite );
}
