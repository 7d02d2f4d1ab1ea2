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
 * The file and its `-wal`/`-shm` files are 0600 ({@link createPrivately}).
 * @param file Path of the SQLite file, or ":memory:" for tests.
 */
export function openDatabase( file: string ): Db {
	if ( file !== ':memory:' ) {
		createPrivately( file );
	}
	const db = new Database( file );
	db.pragma( 'journal_mode = WAL' );
	db.pragma( 'synchronous = FULL' );
	db.pragma( 'foreign_keys = ON' );
	// A second process (an admin CLI, a backup) may hold a lock for a moment.
	db.pragma( 'busy_timeout = 5000' );
	return db;
}

/** Owner read/write only: the file holds CRM tokens, the delivery log (emails) and job passwords. */
const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;

/**
 * Creates the SQLite file 0600 whatever the umask, and narrows a file an older version created
 * with the umask's mode (with its `-wal` and `-shm` files). SQLite creates `-wal` and `-shm`
 * with the mode of the database file, so they follow. A folder created here is 0700.
 * @param file Path of the SQLite file.
 */
function createPrivately( file: string ): void {
	fs.mkdirSync( path.dirname( file ), {
		recursive: true,
		mode: DIRECTORY_MODE,
	} );
	// 'a' creates the file if missing and never truncates; the mode applies to a new file only.
	fs.closeSync( fs.openSync( file, 'a', FILE_MODE ) );
	for ( const part of [ file, `${ file }-wal`, `${ file }-shm` ] ) {
		try {
			fs.chmodSync( part, FILE_MODE );
		} catch ( error ) {
			if ( ( error as NodeJS.ErrnoException ).code !== 'ENOENT' ) {
				throw error;
			}
		}
	}
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
