/**
 * The site registry shared by the bridges on one PostgreSQL database (registry-store.ts has the
 * interface and the SQLite bridge's config.json registry). Loaded only on PostgreSQL (stores.ts).
 */
import {
	inTransaction,
	lockUntilCommit,
	openPgPool,
	type PgPool,
} from '../pg-database';
import { FIRST_SITE_SCHEMA, siteSchemas } from '../site-schemas';
import type { SiteEntry } from './registry';
import { validEntries, type SiteRegistryStore } from './registry-store';

interface SiteRow {
	id: string;
	site_url: string;
	secret: string;
	previous_secret: string | null;
	previous_secret_until: number | null;
	paired_at: string | null;
}

/**
 * The registry shared by every bridge on one PostgreSQL database; a site's data is its own two
 * schemas (site-schemas.ts). The table holds the sites' secrets: the database must be
 * as private as config.json is (docs/deploy.md).
 */
export class PgSiteRegistry implements SiteRegistryStore {
	private constructor(
		private readonly pool: PgPool,
		private readonly allowHttp: boolean,
		readonly description: string
	) {}

	/**
	 * Opens the registry, creating its table when missing.
	 * @param url       The `postgres://…` database.
	 * @param allowHttp PULSE_SYNC_ALLOW_HTTP_SITE.
	 */
	static async open(
		url: string,
		allowHttp: boolean
	): Promise< PgSiteRegistry > {
		const pool = openPgPool( url, 2, FIRST_SITE_SCHEMA );
		try {
			await inTransaction( pool, async ( client ) => {
				// The first site's migration lock (queue/pg-schema.ts): bridges start together.
				await lockUntilCommit( client, 'migrate', FIRST_SITE_SCHEMA );
				await client.query(
					`CREATE SCHEMA IF NOT EXISTS ${ FIRST_SITE_SCHEMA }`
				);
				await client.query(
					`CREATE TABLE IF NOT EXISTS sites (
						id TEXT PRIMARY KEY,
						site_url TEXT NOT NULL UNIQUE,
						secret TEXT NOT NULL,
						previous_secret TEXT,
						previous_secret_until BIGINT,
						paired_at TEXT
					)`
				);
			} );
		} catch ( error ) {
			await pool.end();
			throw error;
		}
		const { host, pathname } = new URL( url );
		return new PgSiteRegistry(
			pool,
			allowHttp,
			`the table ${ FIRST_SITE_SCHEMA }.sites of postgres://${ host }${ pathname }`
		);
	}

	async list(): Promise< SiteEntry[] > {
		const { rows } = await this.pool.query< SiteRow >(
			'SELECT * FROM sites ORDER BY paired_at, id'
		);
		return validEntries(
			rows.map( ( row ) => ( {
				id: row.id,
				siteUrl: row.site_url,
				secret: row.secret,
				...( row.previous_secret !== null && {
					previousSecret: row.previous_secret,
				} ),
				...( row.previous_secret_until !== null && {
					previousSecretUntil: new Date(
						row.previous_secret_until
					).toISOString(),
				} ),
				...( row.paired_at !== null && { pairedAt: row.paired_at } ),
			} ) ),
			this.allowHttp
		);
	}

	async save( entry: SiteEntry ): Promise< void > {
		await this.pool.query(
			`INSERT INTO sites (id, site_url, secret, previous_secret, previous_secret_until, paired_at)
				VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (id) DO UPDATE SET site_url = excluded.site_url, secret = excluded.secret,
					previous_secret = excluded.previous_secret,
					previous_secret_until = excluded.previous_secret_until, paired_at = excluded.paired_at`,
			[
				entry.id,
				entry.siteUrl,
				entry.secrets[ 0 ],
				entry.secrets[ 1 ] ?? null,
				entry.previousSecretUntil,
				entry.pairedAt,
			]
		);
	}

	async remove( id: string ): Promise< boolean > {
		return inTransaction( this.pool, async ( client ) => {
			const { rowCount } = await client.query(
				'DELETE FROM sites WHERE id = $1',
				[ id ]
			);
			if ( rowCount === 0 ) {
				return false;
			}
			// In the same transaction: the site is gone from the registry and its data together.
			// Bridges still serving it for up to a poll (index.ts) fail its requests meanwhile.
			const schemas = siteSchemas( id );
			for ( const schema of [ schemas.tables, schemas.boss ] ) {
				await client.query(
					`DROP SCHEMA IF EXISTS ${ client.escapeIdentifier( schema ) } CASCADE`
				);
			}
			return true;
		} );
	}

	async close(): Promise< void > {
		await this.pool.end();
	}
}
