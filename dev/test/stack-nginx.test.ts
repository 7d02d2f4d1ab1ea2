/**
 * The nginx stack's configuration (dev/src/nginx.ts) for several sites (PULSE_STACK_SITES): one
 * `server` block per site, each on its own port and root, the deploy file's maps and upstreams
 * once (nginx refused the first two-site stack with `duplicate upstream "pulse_sync_visitors"`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkNginx } from '../src/deploy-files';
import { writeStackNginxConfig } from '../src/nginx';
import { freePort } from '../src/ports';

let dir: string;

beforeAll( () => {
	dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-stack-nginx-' ) );
} );

afterAll( () => {
	fs.rmSync( dir, { recursive: true, force: true } );
} );

test( 'two sites: nginx -t accepts the maps and upstreams once and a server block per site (regression: duplicate upstream)', async () => {
	const sites = [
		{ wpDir: path.join( dir, 'wordpress' ), port: await freePort() },
		{ wpDir: path.join( dir, 'wordpress-2' ), port: await freePort() },
	];
	sites.forEach( ( site ) => fs.mkdirSync( site.wpDir ) );
	const config = writeStackNginxConfig( dir, sites, dir );
	const result = checkNginx( config );
	expect( result.output ).toBe( '' );
	expect( result.ok ).toBe( true );
	const text = fs.readFileSync(
		path.join( path.dirname( config ), 'site.conf' ),
		'utf8'
	);
	expect( text.match( /^upstream pulse_sync_visitors /gm ) ).toHaveLength(
		1
	);
	for ( const site of sites ) {
		expect( text ).toContain( `listen 127.0.0.1:${ site.port };` );
		expect( text ).toContain( `root ${ site.wpDir };` );
	}
} );
