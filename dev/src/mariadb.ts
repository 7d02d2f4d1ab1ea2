/**
 * A private MariaDB server: its own datadir and socket inside the state folder, no TCP port, so
 * it never meets the system's server or another stack.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startDetached } from './processes';
import { waitUntil } from './wait';

export interface Database {
	pid: number;
	socket: string;
	name: string;
	user: string;
	password: string;
}

const DB_NAME = 'wordpress';
const DB_USER = 'wordpress';

export async function startMariaDb(
	dir: string,
	logDir: string
): Promise< Database > {
	const datadir = path.join( dir, 'mysql' );
	const socket = path.join( dir, 'mysqld.sock' );
	if ( ! fs.existsSync( path.join( datadir, 'mysql' ) ) ) {
		fs.mkdirSync( datadir, { recursive: true } );
		const init = spawnSync(
			'mariadb-install-db',
			[
				'--no-defaults',
				`--datadir=${ datadir }`,
				'--user=root',
				'--skip-test-db',
				'--auth-root-authentication-method=socket',
			],
			{ encoding: 'utf8' }
		);
		if ( init.status !== 0 ) {
			throw new Error( `mariadb-install-db failed:\n${ init.stderr }` );
		}
	}
	fs.rmSync( socket, { force: true } );
	const pid = startDetached( {
		name: 'mariadb',
		command: 'mariadbd',
		args: [
			'--no-defaults',
			`--datadir=${ datadir }`,
			`--socket=${ socket }`,
			`--pid-file=${ path.join( dir, 'mysqld.pid' ) }`,
			'--skip-networking',
			'--user=root',
			'--innodb-buffer-pool-size=256M',
			'--innodb-flush-log-at-trx-commit=2',
			'--max-connections=300',
			`--log-error=${ path.join( logDir, 'mariadb.log' ) }`,
		],
		logFile: path.join( logDir, 'mariadb.log' ),
	} );
	await waitUntil(
		'MariaDB socket',
		() => sql( socket, 'SELECT 1' ).ok,
		60000
	);
	const password = databasePassword( dir );
	const setup = sql(
		socket,
		`CREATE DATABASE IF NOT EXISTS \`${ DB_NAME }\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		 CREATE USER IF NOT EXISTS '${ DB_USER }'@'localhost' IDENTIFIED BY '${ password }';
		 GRANT ALL ON \`${ DB_NAME }\`.* TO '${ DB_USER }'@'localhost';`
	);
	if ( ! setup.ok ) {
		throw new Error(
			`could not create the WordPress database: ${ setup.error }`
		);
	}
	return { pid, socket, name: DB_NAME, user: DB_USER, password };
}

/**
 * Another site's database on the same server (PULSE_STACK_SITES), for the same user.
 * @param db   The server's first database.
 * @param name The new database's name.
 */
export function siteDatabase( db: Database, name: string ): Database {
	const setup = sql(
		db.socket,
		`CREATE DATABASE IF NOT EXISTS \`${ name }\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		 GRANT ALL ON \`${ name }\`.* TO '${ db.user }'@'localhost';`
	);
	if ( ! setup.ok ) {
		throw new Error(
			`could not create the database ${ name }: ${ setup.error }`
		);
	}
	return { ...db, name };
}

/**
 * The database password is made once per state folder and kept beside the datadir.
 */
function databasePassword( dir: string ): string {
	const file = path.join( dir, 'db-password' );
	if ( ! fs.existsSync( file ) ) {
		fs.writeFileSync( file, crypto.randomBytes( 18 ).toString( 'hex' ), {
			mode: 0o600,
		} );
	}
	return fs.readFileSync( file, 'utf8' ).trim();
}

export function sql(
	socket: string,
	statement: string
): { ok: boolean; output: string; error: string } {
	const run = spawnSync(
		'mariadb',
		[
			'--no-defaults',
			`--socket=${ socket }`,
			'-uroot',
			'-N',
			'-B',
			'-e',
			statement,
		],
		{
			encoding: 'utf8',
		}
	);
	return {
		ok: run.status === 0,
		output: run.stdout ?? '',
		error: run.stderr ?? '',
	};
}
