/**
 * A private PostgreSQL 15 server (Debian's `postgresql`): its own data folder and socket folder
 * inside the state folder, on loopback only. PostgreSQL refuses to run as root, so both folders
 * belong to the `postgres` account and `initdb` and `postgres` run through `runuser`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDetached } from './processes';
import { waitUntil } from './wait';

export interface Postgres {
	pid: number;
	port: number;
	/** `postgres://postgres@127.0.0.1:PORT/DATABASE`: trust authentication, loopback only. */
	url: string;
}

const BIN = '/usr/lib/postgresql/15/bin';
const ACCOUNT = 'postgres';

function asPostgres( command: string, args: string[] ) {
	return spawnSync( 'runuser', [ '-u', ACCOUNT, '--', command, ...args ], {
		encoding: 'utf8',
	} );
}

function ownedByPostgres( dir: string ): void {
	fs.mkdirSync( dir, { recursive: true, mode: 0o700 } );
	const chown = spawnSync( 'chown', [
		'-R',
		`${ ACCOUNT }:${ ACCOUNT }`,
		dir,
	] );
	if ( chown.status !== 0 ) {
		throw new Error(
			`could not give ${ dir } to the ${ ACCOUNT } account`
		);
	}
}

export async function startPostgres(
	dir: string,
	logDir: string,
	port: number,
	database = 'pulse_sync'
): Promise< Postgres > {
	const dataDir = path.join( dir, 'postgres' );
	const socketDir = path.join( dir, 'postgres-socket' );
	if ( ! fs.existsSync( path.join( dataDir, 'PG_VERSION' ) ) ) {
		ownedByPostgres( dataDir );
		const init = asPostgres( path.join( BIN, 'initdb' ), [
			'-D',
			dataDir,
			'-A',
			'trust',
			'-U',
			ACCOUNT,
			'-E',
			'UTF8',
		] );
		if ( init.status !== 0 ) {
			throw new Error( `initdb failed:\n${ init.stderr }` );
		}
	}
	ownedByPostgres( socketDir );
	const logFile = path.join( logDir, 'postgres.log' );
	fs.writeFileSync( logFile, '', { flag: 'a' } );
	const pid = startDetached( {
		name: 'postgres',
		command: 'runuser',
		args: [
			'-u',
			ACCOUNT,
			'--',
			path.join( BIN, 'postgres' ),
			'-D',
			dataDir,
			'-k',
			socketDir,
			'-p',
			String( port ),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'max_connections=200',
			'-c',
			'fsync=on',
			'-c',
			'synchronous_commit=on',
		],
		logFile,
	} );
	const isReady = () =>
		spawnSync( path.join( BIN, 'pg_isready' ), [
			'-h',
			'127.0.0.1',
			'-p',
			String( port ),
		] ).status === 0;
	await waitUntil( 'PostgreSQL', isReady, 60000 );
	const exists = asPostgres( path.join( BIN, 'psql' ), [
		'-h',
		'127.0.0.1',
		'-p',
		String( port ),
		'-tAc',
		`SELECT 1 FROM pg_database WHERE datname = '${ database }'`,
	] );
	if ( exists.stdout.trim() !== '1' ) {
		const create = asPostgres( path.join( BIN, 'createdb' ), [
			'-h',
			'127.0.0.1',
			'-p',
			String( port ),
			database,
		] );
		if ( create.status !== 0 ) {
			throw new Error( `createdb failed:\n${ create.stderr }` );
		}
	}
	return {
		pid,
		port,
		url: `postgres://${ ACCOUNT }@127.0.0.1:${ port }/${ database }`,
	};
}
