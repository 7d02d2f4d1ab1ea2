/**
 * Jest globalSetup of the bridge suite: one private PostgreSQL 15 (dev/src/postgres.ts) for the
 * whole run; the tests of the PostgreSQL engine each make a database of their own on it
 * (postgres.ts). It needs root and Debian's `postgresql` 15, which `npm test` installs
 * (dev/src/system-packages.ts). The workers inherit the server's address from the environment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../dev/src/ports';
import { startPostgres } from '../../../dev/src/postgres';

export default async function setup(): Promise< void > {
	const dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-bridge-pg-' ) );
	// The postgres account must reach its folders inside.
	fs.chmodSync( dir, 0o755 );
	const server = await startPostgres(
		dir,
		dir,
		await freePort(),
		'postgres'
	);
	process.env.PULSE_BRIDGE_TEST_POSTGRES = server.url;
	process.env.PULSE_BRIDGE_TEST_POSTGRES_PID = String( server.pid );
	process.env.PULSE_BRIDGE_TEST_POSTGRES_DIR = dir;
}
