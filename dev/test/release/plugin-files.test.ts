/**
 * The zip takes plugin/ by rule: top-level PHP, readme.txt, includes/, build/ and languages/, so a
 * class another change adds under includes/ ships without a list to update, and tests, PHPUnit
 * config, notes for developers and dot files never do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pluginFiles, REQUIRED_FILES } from '../../src/release/plugin-files';

let dir: string;

function put( file: string ): void {
	fs.mkdirSync( path.dirname( path.join( dir, file ) ), { recursive: true } );
	fs.writeFileSync( path.join( dir, file ), `<?php // ${ file }\n` );
}

beforeEach( () => {
	dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-sync-plugin-' ) );
	REQUIRED_FILES.forEach( put );
} );

afterEach( () => fs.rmSync( dir, { recursive: true, force: true } ) );

test( 'a new class under includes/ ships; tests, dev configs and dot files do not', () => {
	[
		'includes/Plugin.php',
		'includes/Pairing/CodeStore.php',
		'build/index.css',
		'languages/pulse-sync-de_DE.mo',
		'tests/bootstrap.php',
		'tests/Users/UpserterTest.php',
		'phpunit.xml.dist',
		'TESTS.md',
		'composer.json',
		'vendor/autoload.php',
		'includes/.DS_Store',
		'.phpunit.result.cache',
	].forEach( put );
	expect( pluginFiles( dir ) ).toEqual( [
		'build/index.asset.php',
		'build/index.css',
		'build/index.js',
		'includes/Pairing/CodeStore.php',
		'includes/Plugin.php',
		'languages/pulse-sync-de_DE.mo',
		'languages/pulse-sync.pot',
		'pulse-sync.php',
		'readme.txt',
		'uninstall.php',
	] );
} );

test( 'a plugin without its panel build is refused, naming what is missing', () => {
	fs.rmSync( path.join( dir, 'build' ), { recursive: true } );
	expect( () => pluginFiles( dir ) ).toThrow(
		'the plugin is incomplete, missing: build/index.js, build/index.asset.php'
	);
} );

test( 'the real plugin folder ships its PHP and none of its tests', () => {
	const real = path.resolve( __dirname, '..', '..', '..', 'plugin' );
	const files = fs
		.readdirSync( path.join( real, 'includes' ), { recursive: true } )
		.map( String )
		.filter( ( file ) => file.endsWith( '.php' ) )
		.map( ( file ) => `includes/${ file.split( path.sep ).join( '/' ) }` );
	expect( files.length ).toBeGreaterThan( 10 );
	const copy = path.join( dir, 'copy' );
	fs.cpSync( real, copy, { recursive: true } );
	// The build and the template are made by `npm run release`; only the rule matters here.
	for ( const file of REQUIRED_FILES ) {
		if ( ! fs.existsSync( path.join( copy, file ) ) ) {
			fs.mkdirSync( path.dirname( path.join( copy, file ) ), {
				recursive: true,
			} );
			fs.writeFileSync( path.join( copy, file ), '' );
		}
	}
	const shipped = pluginFiles( copy );
	expect( shipped ).toEqual( expect.arrayContaining( files ) );
	expect(
		shipped.filter( ( file ) => /^tests\/|phpunit|\.md$/.test( file ) )
	).toEqual( [] );
} );
