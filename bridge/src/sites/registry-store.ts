/**
 * Where the site registry (sites/registry.ts) is kept, for the commands that change it (`pair`,
 * `sites`, `unpair`) and the bridges that follow it. A bridge on SQLite keeps it in config.json
 * `sites`; bridges on PostgreSQL share it in the table `pulse_sync.sites`, so a site paired
 * through one bridge is served by all of them. The site paired first stays at the top level of
 * config.json (or the environment) on both, as a bridge of one site has always had it.
 */
import fs from 'node:fs';
import { ConfigError } from '../config';
import {
	configFilePath,
	readConfigFile,
	writeConfigFile,
} from '../config/file';
import {
	FIRST_SITE_SCHEMA,
	inTransaction,
	lockUntilCommit,
	openPgPool,
	siteSchemas,
	type PgPool,
} from '../pg-database';
import { parseSiteEntries, type SiteEntry } from './registry';

export interface SiteRegistryStore {
	/** The sites paired after the first one, validated (a bad entry throws a ConfigError). */
	list: () => Promise< SiteEntry[] >;
	/** Adds a site, or replaces the entry of the same id (a re-pair). */
	save: ( entry: SiteEntry ) => Promise< void >;
	/**
	 * Removes a site and all its data (queue, delivery log, CRM tokens, import runs).
	 * @return False when no site has the id.
	 */
	remove: ( id: string ) => Promise< boolean >;
	/** Where the registry is, for the owner (no credentials). */
	description: string;
	close: () => Promise< void >;
}

/** An entry as config.json and the table hold it: the secret and the one before it apart. */
function storedFields( entry: SiteEntry ): Record< string, unknown > {
	const [ secret, previousSecret ] = entry.secrets;
	return {
		id: entry.id,
		siteUrl: entry.siteUrl,
		secret,
		...( previousSecret !== undefined && { previousSecret } ),
		...( entry.previousSecretUntil !== null && {
			previousSecretUntil: new Date(
				entry.previousSecretUntil
			).toISOString(),
		} ),
		...( entry.pairedAt !== null && { pairedAt: entry.pairedAt } ),
	};
}

/**
 * Validated entries, or one ConfigError naming every bad one (without its secret).
 * @param raw       The stored entries.
 * @param allowHttp PULSE_SYNC_ALLOW_HTTP_SITE.
 */
function validEntries( raw: unknown, allowHttp: boolean ): SiteEntry[] {
	const problems: string[] = [];
	const entries = parseSiteEntries( raw, allowHttp, problems );
	if ( problems.length > 0 ) {
		throw new ConfigError( problems );
	}
	return entries;
}

/** The registry in config.json `sites`; a site's data is its own SQLite file. */
export class FileSiteRegistry implements SiteRegistryStore {
	/**
	 * @param dataDir   The bridge's data folder (config.json).
	 * @param allowHttp PULSE_SYNC_ALLOW_HTTP_SITE.
	 * @param dbPathOf  The SQLite file of a site (site-context.ts, siteDbPath).
	 */
	constructor(
		private readonly dataDir: string,
		private readonly allowHttp: boolean,
		private readonly dbPathOf: ( id: string ) => string
	) {}

	get description(): string {
		return `${ configFilePath( this.dataDir ) } (mode 0600)`;
	}

	async list(): Promise< SiteEntry[] > {
		return validEntries(
			readConfigFile( this.dataDir ).sites,
			this.allowHttp
		);
	}

	async save( entry: SiteEntry ): Promise< void > {
		const file = readConfigFile( this.dataDir );
		const others = ( await this.list() ).filter(
			( site ) => site.id !== entry.id
		);
		writeConfigFile( this.dataDir, {
			...file,
			sites: [ ...others, entry ].map( storedFields ),
		} );
	}

	async remove( id: string ): Promise< boolean > {
		const sites = await this.list();
		if ( ! sites.some( ( site ) => site.id === id ) ) {
			return false;
		}
		// Unlisted first: a running bridge stops the site (config.json is watched), and a file
		// it still holds open is gone from the disk once it lets go.
		writeConfigFile( this.dataDir, {
			...readConfigFile( this.dataDir ),
			sites: sites
				.filter( ( site ) => site.id !== id )
				.map( storedFields ),
		} );
		const db = this.dbPathOf( id );
		for ( const file of [ db, `${ db }-wal`, `${ db }-shm` ] ) {
			fs.rmSync( file, { force: true } );
		}
		return true;
	}

	async close(): Promise< void > {}
}

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
 * schemas (pg-database.ts, siteSchemas). The table holds the sites' secrets: the database must be
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
