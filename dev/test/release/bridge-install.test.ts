/**
 * The owner's install of the bridge tarball: never into a folder that holds something already (an
 * install on top of another proves nothing about the tarball alone), and never with the
 * repository's `PULSE_*` settings in the environment. The install itself (npm, better-sqlite3's
 * compile) runs in `npm test` once, before the release journey (e2e/release/).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	installBridgeTarball,
	ownerEnv,
} from '../../src/release/bridge-install';

test( 'a folder that is not empty is refused before npm runs', () => {
	const dir = fs.mkdtempSync(
		path.join( os.tmpdir(), 'pulse-bridge-install-test-' )
	);
	try {
		fs.writeFileSync( path.join( dir, 'package.json' ), '{}' );
		expect( () =>
			installBridgeTarball( path.join( dir, 'missing.tgz' ), dir )
		).toThrow( `${ dir } is not empty` );
		expect( fs.readdirSync( dir ) ).toEqual( [ 'package.json' ] );
	} finally {
		fs.rmSync( dir, { recursive: true, force: true } );
	}
} );

test( 'the owner environment has none of the repository’s PULSE_ settings, only the ones given', () => {
	const saved = { ...process.env };
	try {
		process.env.PULSE_STACK_FILE = '/repo/.stack/stack.json';
		process.env.PULSE_SYNC_BRIDGE_SECRET = 'whsec_from_the_stack';
		process.env.HOME_LIKE_SETTING = 'kept';
		const env = ownerEnv( { PULSE_SYNC_DATA_DIR: '/owner/data' } );
		expect(
			Object.keys( env ).filter( ( name ) => name.startsWith( 'PULSE_' ) )
		).toEqual( [ 'PULSE_SYNC_DATA_DIR' ] );
		expect( env.PULSE_SYNC_DATA_DIR ).toBe( '/owner/data' );
		expect( env.HOME_LIKE_SETTING ).toBe( 'kept' );
	} finally {
		process.env = saved;
	}
} );
