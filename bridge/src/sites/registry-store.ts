/**
 * Where the site registry (sites/registry.ts) is kept, for the commands that change it (`pair`,
 * `sites`, `unpair`) and the bridges that follow it. A bridge on SQLite keeps it in config.json
 * `sites` (here); bridges on PostgreSQL share it in the table `pulse_sync.sites`
 * (pg-registry-store.ts), so a site paired through one bridge is served by all of them. The site
 * paired first stays at the top level of config.json (or the environment) on both, as a bridge of
 * one site has always had it.
 */
import fs from 'node:fs';
import { ConfigError } from '../config';
import {
	configFilePath,
	readConfigFile,
	writeConfigFile,
} from '../config/file';
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
export function validEntries( raw: unknown, allowHttp: boolean ): SiteEntry[] {
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
