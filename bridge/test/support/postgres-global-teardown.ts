/** Jest globalTeardown of the bridge suite: stops the PostgreSQL of postgres-global-setup.ts. */
import fs from 'node:fs';
import { stopGroup } from '../../../dev/src/processes';

export default async function teardown(): Promise< void > {
	const pid = Number( process.env.PULSE_BRIDGE_TEST_POSTGRES_PID );
	if ( pid > 0 ) {
		await stopGroup( pid, 10000 );
	}
	const dir = process.env.PULSE_BRIDGE_TEST_POSTGRES_DIR;
	if ( dir ) {
		fs.rmSync( dir, { recursive: true, force: true } );
	}
}
