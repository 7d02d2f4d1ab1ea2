/**
 * Pairing a further site with a running bridge: the stack waits for the bridge to serve it, and
 * when the bridge refused the new configuration (a PostgreSQL bridge before it serves several
 * sites) says the bridge's reason at once instead of timing out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reloadRefusal } from '../src/stack-sites';

let dir: string;

beforeAll( () => {
	dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-stack-sites-' ) );
} );

afterAll( () => {
	fs.rmSync( dir, { recursive: true, force: true } );
} );

const line = ( entry: object ) => `${ JSON.stringify( entry ) }\n`;

test( "the bridge's refusal after the mark is the reason; one before it is not", () => {
	const log = path.join( dir, 'bridge-1.log' );
	const before = line( {
		event: 'config.reload_failed',
		error: { message: 'an older refusal' },
	} );
	fs.writeFileSync( log, before );
	const mark = fs.statSync( log ).size;
	expect( reloadRefusal( log, mark ) ).toBeNull();
	fs.appendFileSync(
		log,
		line( { event: 'http.request', path: '/v1/status' } ) +
			'not json\n' +
			line( {
				event: 'config.reload_failed',
				error: {
					message:
						'Several sites on one bridge need the SQLite store for now; this bridge uses PostgreSQL.',
				},
			} )
	);
	expect( reloadRefusal( log, mark ) ).toBe(
		'Several sites on one bridge need the SQLite store for now; this bridge uses PostgreSQL.'
	);
	expect( reloadRefusal( log, 0 ) ).toMatch( /^Several sites/ );
} );

test( 'a bridge that reloaded fine, or has no log yet, refused nothing', () => {
	const log = path.join( dir, 'bridge.log' );
	fs.writeFileSync( log, line( { event: 'config.reloaded', sites: 2 } ) );
	expect( reloadRefusal( log, 0 ) ).toBeNull();
	expect( reloadRefusal( path.join( dir, 'missing.log' ), 0 ) ).toBeNull();
} );
