import type { BridgeConfig } from '../config';
import { FileSiteRegistry, type SiteRegistryStore } from './registry-store';
import { siteDbPath } from './site-context';

/**
 * The registry of the bridge's store: config.json on SQLite, the shared table on PostgreSQL.
 * @param config The bridge's configuration.
 */
export async function openSiteRegistry(
	config: Pick<
		BridgeConfig,
		'databaseUrl' | 'dataDir' | 'dbPath' | 'allowHttpSite'
	>
): Promise< SiteRegistryStore > {
	if ( config.databaseUrl === null ) {
		return new FileSiteRegistry(
			config.dataDir,
			config.allowHttpSite,
			( id ) => siteDbPath( config, id )
		);
	}
	// Imported here: a bridge on SQLite never loads the PostgreSQL driver (stores.ts).
	const { PgSiteRegistry } =
		require( './pg-registry-store' ) as typeof import( './pg-registry-store' );
	return PgSiteRegistry.open( config.databaseUrl, config.allowHttpSite );
}
