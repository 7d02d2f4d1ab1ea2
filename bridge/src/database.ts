import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export type Db = Database.Database;
export type Statement = Database.Statement;

/**
 * Opens the bridge's SQLite file (queue, delivery log, CRM tokens).
 *
 * WAL lets the HTTP handlers read the log while the worker writes. `synchronous = FULL` makes
 * every commit reach the disk before `accept()` returns: a 2xx to the plugin (and through it to
 * the CRM) promises the delivery survives, and with NORMAL the last commits of a WAL database
 * can vanish on a power cut. The cost is one fsync per delivery, well within a bulk edit's rate.
 * @param file Path of the SQLite file, or ":memory:" for tests.
 */
export function openDatabase( file: string ): Db {
	const created = file !== ':memory:' && ! fs.existsSync( file );
	if ( file !== ':memory:' ) {
		fs.mkdirSync( path.dirname( file ), { recursive: true, mode: 0o700 } );
	}
	const db = new Database( file );
	if ( created ) {
		// It holds sealed CRM tokens and the delivery log; SQLite gives its -wal and -shm files
		// the same mode.
		fs.chmodSync( file, 0o600 );
	}
	db.pragma( 'journal_mode = WAL' );
	db.pragma( 'synchronous = FULL' );
	db.pragma( 'foreign_keys = ON' );
	// A second process (an admin CLI, a backup) may hold a lock for a moment.
	db.pragma( 'busy_timeout = 5000' );
	return db;
}

const prepared = new WeakMap< Db, Map< string, Statement > >();

/**
 * The statement for `source`, prepared once per database and then reused: each delivery runs
 * several, and preparing costs tens of microseconds and native memory that V8 does not see, so
 * it is freed late. Only for SQL whose text comes from a bounded set (no values inlined).
 * @param db     The open database.
 * @param source The SQL.
 */
export function statement( db: Db, source: string ): Statement {
	let cache = prepared.get( db );
	if ( cache === undefined ) {
		cache = new Map();
		prepared.set( db, cache );
	}
	let found = cache.get( source );
	if ( found === undefined ) {
		found = db.prepare( source );
		cache.set( source, found );
	}
	return found;
}
