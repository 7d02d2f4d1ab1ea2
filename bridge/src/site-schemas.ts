/**
 * Where each site's data lives in the PostgreSQL database that bridges share. No PostgreSQL code
 * here: the SQLite bridge names its sites' schemas too (sites/site-context.ts) and must not load
 * the driver (stores.ts).
 */

/** The schema of the bridge's first site (the one a bridge of one site has always used). */
export const FIRST_SITE_SCHEMA = 'pulse_sync';

/**
 * Where one site's data lives in the shared database: the bridge's tables (queue/pg-schema.ts)
 * and pg-boss's. The first site keeps the schemas a bridge of one site has always used; every
 * further site has its own pair, so no query of one site can reach another's rows, and `unpair`
 * removes a site by dropping its two schemas.
 */
export interface SiteSchemas {
	tables: string;
	boss: string;
}

/**
 * The schemas of a site.
 * @param siteId The site's id (sites/registry.ts; lower-case base32, safe in an identifier),
 *               or null for the first site.
 */
export function siteSchemas( siteId: string | null ): SiteSchemas {
	return siteId === null
		? { tables: FIRST_SITE_SCHEMA, boss: 'pgboss' }
		: {
				tables: `pulse_sync_site_${ siteId }`,
				boss: `pulse_sync_site_${ siteId }_boss`,
			};
}
