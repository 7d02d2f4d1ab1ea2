/**
 * One version for everything Pulse Sync releases. The source of truth is the `version` of the root
 * package.json; `npm run version:sync` copies it into every other place that states it, and
 * `npm run release` refuses to build while any place disagrees (dev/test/version.test.ts checks
 * the same in `npm test`).
 *
 * The places: the plugin header (`Version:`), `PULSE_SYNC_VERSION`, readme.txt's `Stable tag:`,
 * the package.json of every workspace (the bridge reports its own, bridge/src/version.ts) and their
 * entries in package-lock.json. readme.txt must also have a changelog entry `= <version> =`, which
 * only a person can write, so it is checked and never written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../paths';

/** One place that states the version: how to read it from its file and how to set it. */
interface VersionPlace {
	file: string;
	what: string;
	read: ( text: string ) => string | null;
	write: ( text: string, version: string ) => string;
}

interface PackageJson {
	version?: string;
	workspaces?: string[];
}

interface PackageLock {
	version?: string;
	packages?: Record< string, { version?: string } >;
}

/** A `key: value` line of a plugin header or readme.txt header (`Version:`, `Stable tag:`). */
function headerField(
	file: string,
	what: string,
	field: string
): VersionPlace {
	const pattern = new RegExp( `^([ \\t*]*${ field }:[ \\t]*)(\\S+)`, 'm' );
	return {
		file,
		what,
		read: ( text ) => pattern.exec( text )?.[ 2 ] ?? null,
		write: ( text, version ) => text.replace( pattern, `$1${ version }` ),
	};
}

const CONSTANT = /(define\(\s*'PULSE_SYNC_VERSION',\s*')([^']*)(')/;

const pluginConstant: VersionPlace = {
	file: 'plugin/pulse-sync.php',
	what: 'PULSE_SYNC_VERSION',
	read: ( text ) => CONSTANT.exec( text )?.[ 2 ] ?? null,
	write: ( text, version ) => text.replace( CONSTANT, `$1${ version }$3` ),
};

/** Rewrites one JSON file keeping its indentation (npm's two spaces, or tabs) and final newline. */
function jsonPlace< T >(
	file: string,
	what: string,
	get: ( json: T ) => string | undefined,
	set: ( json: T, version: string ) => void
): VersionPlace {
	return {
		file,
		what,
		read: ( text ) => get( JSON.parse( text ) as T ) ?? null,
		write: ( text, version ) => {
			const json = JSON.parse( text ) as T;
			set( json, version );
			const indent = /^([ \t]+)"/m.exec( text )?.[ 1 ] ?? '  ';
			return `${ JSON.stringify( json, null, indent ) }\n`;
		},
	};
}

function workspaces( root: string ): string[] {
	const rootPackage = JSON.parse(
		fs.readFileSync( path.join( root, 'package.json' ), 'utf8' )
	) as PackageJson;
	return rootPackage.workspaces ?? [];
}

/** Every place except the source of truth, in the order they are reported. */
export function versionPlaces( root = ROOT ): VersionPlace[] {
	const lockEntries = [ '', ...workspaces( root ) ];
	return [
		headerField(
			'plugin/pulse-sync.php',
			'plugin header Version',
			'Version'
		),
		pluginConstant,
		headerField(
			'plugin/readme.txt',
			'readme.txt Stable tag',
			'Stable tag'
		),
		...workspaces( root ).map( ( workspace ) =>
			jsonPlace< PackageJson >(
				`${ workspace }/package.json`,
				`${ workspace } package version`,
				( json ) => json.version,
				( json, version ) => {
					json.version = version;
				}
			)
		),
		jsonPlace< PackageLock >(
			'package-lock.json',
			'package-lock.json entries of the root and the workspaces',
			( lock ) => {
				const found = new Set( [
					lock.version,
					...lockEntries.map(
						( key ) => lock.packages?.[ key ]?.version
					),
				] );
				return found.size === 1
					? [ ...found ][ 0 ]
					: [ ...found ].join( ' / ' );
			},
			( lock, version ) => {
				lock.version = version;
				for ( const key of lockEntries ) {
					const entry = lock.packages?.[ key ];
					if ( entry ) {
						entry.version = version;
					}
				}
			}
		),
	];
}

/** The version everything is released as: the root package.json's. */
export function sourceVersion( root = ROOT ): string {
	const version = (
		JSON.parse(
			fs.readFileSync( path.join( root, 'package.json' ), 'utf8' )
		) as PackageJson
	 ).version;
	if ( ! version || ! /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test( version ) ) {
		throw new Error(
			`package.json has no semantic version (found "${ version ?? '' }")`
		);
	}
	return version;
}

function changelogHas( root: string, version: string ): boolean {
	const readme = fs.readFileSync(
		path.join( root, 'plugin', 'readme.txt' ),
		'utf8'
	);
	const changelog = readme.split( /^== Changelog ==$/m )[ 1 ] ?? '';
	return changelog
		.split( '\n' )
		.some( ( line ) => line.trim() === `= ${ version } =` );
}

/** Each place that disagrees with the source of truth, as a sentence; empty when all agree. */
export function versionMismatches( root = ROOT ): string[] {
	const version = sourceVersion( root );
	const mismatches = versionPlaces( root ).flatMap( ( place ) => {
		const found = place.read(
			fs.readFileSync( path.join( root, place.file ), 'utf8' )
		);
		return found === version
			? []
			: [
					`${ place.file } (${ place.what }) says ${ found ?? 'nothing' }, package.json says ${ version }`,
				];
	} );
	if ( ! changelogHas( root, version ) ) {
		mismatches.push(
			`plugin/readme.txt has no changelog entry "= ${ version } =" (write it by hand)`
		);
	}
	return mismatches;
}

/** `npm run version:sync`: writes the source version everywhere; returns the files it changed. */
export function syncVersion( root = ROOT ): string[] {
	const version = sourceVersion( root );
	const changed: string[] = [];
	for ( const place of versionPlaces( root ) ) {
		const file = path.join( root, place.file );
		const before = fs.readFileSync( file, 'utf8' );
		const after = place.write( before, version );
		if ( place.read( after ) !== version ) {
			throw new Error(
				`could not set the version in ${ place.file } (${ place.what })`
			);
		}
		if ( after !== before ) {
			fs.writeFileSync( file, after );
			changed.push( place.file );
		}
	}
	return [ ...new Set( changed ) ];
}

/** The version to release, or an error listing every place that disagrees. */
export function releaseVersion( root = ROOT ): string {
	const mismatches = versionMismatches( root );
	if ( mismatches.length > 0 ) {
		throw new Error(
			`the versions disagree (run npm run version:sync):\n  ${ mismatches.join( '\n  ' ) }`
		);
	}
	return sourceVersion( root );
}
