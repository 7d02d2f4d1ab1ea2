import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/database';

/** Permission bits, e.g. 0o600 (the low nine bits of st_mode). */
const mode = ( file: string ): number => fs.statSync( file ).mode % 0o1000;

describe( 'openDatabase', () => {
	let dir: string;
	let umask: number;
	beforeEach( () => {
		dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-sync-db-' ) );
		// The most permissive umask: the modes must not depend on it.
		umask = process.umask( 0 );
	} );
	afterEach( () => {
		process.umask( umask );
		fs.rmSync( dir, { recursive: true, force: true } );
	} );

	it( 'the database file is created 0600, with its -wal and -shm files', () => {
		const file = path.join( dir, 'state', 'bridge.db' );
		const db = openDatabase( file );
		db.exec( 'CREATE TABLE t (x); INSERT INTO t VALUES (1);' );
		expect( fs.existsSync( `${ file }-wal` ) ).toBe( true );
		expect( fs.existsSync( `${ file }-shm` ) ).toBe( true );
		expect( mode( file ) ).toBe( 0o600 );
		expect( mode( `${ file }-wal` ) ).toBe( 0o600 );
		expect( mode( `${ file }-shm` ) ).toBe( 0o600 );
		expect( mode( path.dirname( file ) ) ).toBe( 0o700 );
		db.close();
	} );

	it( 'narrows a database file an earlier version left readable by others, keeping its data', () => {
		const file = path.join( dir, 'bridge.db' );
		const first = openDatabase( file );
		first.exec( 'CREATE TABLE t (x); INSERT INTO t VALUES (42);' );
		first.close();
		fs.chmodSync( file, 0o644 );
		const db = openDatabase( file );
		expect( mode( file ) ).toBe( 0o600 );
		expect( db.prepare( 'SELECT x FROM t' ).get() ).toEqual( { x: 42 } );
		db.close();
	} );
} );
