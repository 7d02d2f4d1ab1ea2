/**
 * `<data-dir>/config.json`: the settings `pair` writes (site URL, secret, previous secret) and
 * any an owner adds by hand. Mode 0600 in a 0700 folder: it holds the bridge secret.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config';

export const CONFIG_FILE_NAME = 'config.json';

export function configFilePath( dataDir: string ): string {
	return path.join( dataDir, CONFIG_FILE_NAME );
}

/**
 * The decoded file; {} when there is none yet.
 * @param dataDir The bridge's data folder.
 */
export function readConfigFile( dataDir: string ): Record< string, unknown > {
	const file = configFilePath( dataDir );
	let text: string;
	try {
		text = fs.readFileSync( file, 'utf8' );
	} catch ( error ) {
		if ( ( error as NodeJS.ErrnoException ).code === 'ENOENT' ) {
			return {};
		}
		throw new ConfigError( [
			`${ file }: ${ ( error as Error ).message }`,
		] );
	}
	let json: unknown;
	try {
		json = JSON.parse( text ) as unknown;
	} catch {
		throw new ConfigError( [ `${ file } is not valid JSON` ] );
	}
	if ( json === null || typeof json !== 'object' || Array.isArray( json ) ) {
		throw new ConfigError( [ `${ file } must hold a JSON object` ] );
	}
	return json as Record< string, unknown >;
}

/**
 * Replaces the file atomically (a running bridge never reads half of it) with mode 0600.
 * @param dataDir The bridge's data folder (created 0700 if missing).
 * @param values  The whole new content.
 */
export function writeConfigFile(
	dataDir: string,
	values: Record< string, unknown >
): string {
	fs.mkdirSync( dataDir, { recursive: true, mode: 0o700 } );
	const file = configFilePath( dataDir );
	const temporary = `${ file }.${ process.pid }.tmp`;
	fs.writeFileSync(
		temporary,
		`${ JSON.stringify( values, null, '\t' ) }\n`,
		{
			mode: 0o600,
		}
	);
	// writeFileSync's mode is masked by the umask and ignored for an existing file.
	fs.chmodSync( temporary, 0o600 );
	fs.renameSync( temporary, file );
	return file;
}
