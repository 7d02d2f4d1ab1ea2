/**
 * One version for the whole release: the root package.json is the source, and every place that
 * states the version (plugin header, PULSE_SYNC_VERSION, readme.txt Stable tag, the workspaces'
 * package.json, package-lock.json) must agree with it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../src/paths';
import {
	releaseVersion,
	sourceVersion,
	syncVersion,
	versionMismatches,
	versionPlaces,
} from '../../src/release/version';

test( 'the repository states one version everywhere', () => {
	expect( versionMismatches() ).toEqual( [] );
	const version = sourceVersion();
	const bridge = JSON.parse(
		fs.readFileSync( path.join( ROOT, 'bridge', 'package.json' ), 'utf8' )
	) as { version: string };
	const plugin = fs.readFileSync(
		path.join( ROOT, 'plugin', 'pulse-sync.php' ),
		'utf8'
	);
	const readme = fs.readFileSync(
		path.join( ROOT, 'plugin', 'readme.txt' ),
		'utf8'
	);
	// The four the issue names, read here without the module under test.
	expect( bridge.version ).toBe( version );
	expect( plugin ).toMatch(
		new RegExp(
			`^ \\* Version:\\s+${ version.replace( /\./g, '\\.' ) }$`,
			'm'
		)
	);
	expect( plugin ).toContain(
		`define( 'PULSE_SYNC_VERSION', '${ version }' );`
	);
	expect( readme ).toMatch(
		new RegExp( `^Stable tag: ${ version.replace( /\./g, '\\.' ) }$`, 'm' )
	);
} );

const copies: string[] = [];
afterAll( () => {
	for ( const dir of copies ) {
		fs.rmSync( dir, { recursive: true, force: true } );
	}
} );

/** A copy of the files that state the version, to break and repair. */
function copyOfRepository(): string {
	const dir = fs.mkdtempSync(
		path.join( os.tmpdir(), 'pulse-sync-version-' )
	);
	copies.push( dir );
	const files = new Set( [
		'package.json',
		...versionPlaces().map( ( place ) => place.file ),
	] );
	for ( const file of files ) {
		fs.mkdirSync( path.dirname( path.join( dir, file ) ), {
			recursive: true,
		} );
		fs.copyFileSync( path.join( ROOT, file ), path.join( dir, file ) );
	}
	return dir;
}

function edit( file: string, change: ( text: string ) => string ): void {
	fs.writeFileSync( file, change( fs.readFileSync( file, 'utf8' ) ) );
}

test( 'a bridge package.json that disagrees is named, and the release refuses to build', () => {
	const dir = copyOfRepository();
	const version = sourceVersion( dir );
	edit( path.join( dir, 'bridge', 'package.json' ), ( text ) =>
		text.replace( `"version": "${ version }"`, '"version": "9.9.9"' )
	);
	expect( versionMismatches( dir ) ).toEqual( [
		`bridge/package.json (bridge package version) says 9.9.9, package.json says ${ version }`,
	] );
	expect( () => releaseVersion( dir ) ).toThrow( /bridge\/package\.json/ );
} );

test( 'version:sync writes a new root version into every place, keeping each file’s indentation', () => {
	const dir = copyOfRepository();
	edit( path.join( dir, 'package.json' ), ( text ) =>
		text.replace( /"version": "[^"]+"/, '"version": "3.4.5"' )
	);
	const crmBefore = fs.readFileSync(
		path.join( dir, 'crm-sandbox', 'package.json' ),
		'utf8'
	);
	expect( versionMismatches( dir ).length ).toBeGreaterThan( 3 );
	syncVersion( dir );
	// Only the changelog is left: it needs words from a person.
	expect( versionMismatches( dir ) ).toEqual( [
		'plugin/readme.txt has no changelog entry "= 3.4.5 =" (write it by hand)',
	] );
	const plugin = fs.readFileSync(
		path.join( dir, 'plugin', 'pulse-sync.php' ),
		'utf8'
	);
	expect( plugin ).toContain( ' * Version:           3.4.5\n' );
	expect( plugin ).toContain( "define( 'PULSE_SYNC_VERSION', '3.4.5' );" );
	const lock = JSON.parse(
		fs.readFileSync( path.join( dir, 'package-lock.json' ), 'utf8' )
	) as { packages: Record< string, { version?: string } > };
	expect( lock.packages.bridge?.version ).toBe( '3.4.5' );
	const crmAfter = fs.readFileSync(
		path.join( dir, 'crm-sandbox', 'package.json' ),
		'utf8'
	);
	expect( crmAfter.replace( '3.4.5', sourceVersion() ) ).toBe( crmBefore );
	expect( syncVersion( dir ) ).toEqual( [] );
} );
