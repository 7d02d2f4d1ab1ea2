/**
 * Visitors first (issue 12, bulk-edit front page): the stack's PHP-FPM, started from the config it
 * writes (dev/src/php-fpm.ts, whose Pulse Sync pool is deploy/php-fpm/pulse-sync.conf), runs the
 * webhook pool's workers at nice 10 and the visitors' at the master's own. FPM sets
 * `process.priority` only when its master runs as root (else it logs a notice and ignores it), so
 * as another account the test checks that the pool still starts, at the master's priority.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPhpFpm } from '../src/php-fpm';
import { stopGroup } from '../src/processes';

let dir: string;
let master: number | null = null;

beforeAll( () => {
	dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-fpm-priority-' ) );
} );

afterAll( async () => {
	if ( master !== null ) {
		await stopGroup( master );
	}
	fs.rmSync( dir, { recursive: true, force: true } );
} );

/** The nice value of every FPM worker of `pool`, from /proc. */
function workerNice( pool: string ): number[] {
	return fs.readdirSync( '/proc' ).flatMap( ( pid ) => {
		if ( ! /^\d+$/.test( pid ) ) {
			return [];
		}
		try {
			const cmdline = fs.readFileSync( `/proc/${ pid }/cmdline`, 'utf8' );
			if ( ! cmdline.startsWith( `php-fpm: pool ${ pool }` ) ) {
				return [];
			}
			const stat = fs.readFileSync( `/proc/${ pid }/stat`, 'utf8' );
			// "pid (comm) state ppid …": the nice value is the 19th field.
			const fields = stat
				.slice( stat.lastIndexOf( ')' ) + 2 )
				.split( ' ' );
			const parentPid = Number( fields[ 1 ] );
			return parentPid === master ? [ Number( fields[ 16 ] ) ] : [];
		} catch {
			return [];
		}
	} );
}

async function workersOf( pool: string ): Promise< number[] > {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const nice = workerNice( pool );
		if ( nice.length > 0 || Date.now() > deadline ) {
			return nice;
		}
		await new Promise( ( resolve ) => setTimeout( resolve, 100 ) );
	}
}

test( 'the webhook pool runs below the visitors pool (regression: a bulk edit tripled the front page p95)', async () => {
	master = startPhpFpm( dir, dir );
	const webhooks = await workersOf( 'pulse-sync' );
	const visitors = await workersOf( 'visitors' );
	expect( webhooks.length ).toBeGreaterThan( 0 );
	expect( visitors.length ).toBeGreaterThan( 0 );
	const own = os.getPriority();
	// As another account FPM logs a notice and leaves the pool at the master's priority.
	const lowered = process.getuid?.() === 0 ? 10 : own;
	expect( visitors ).toEqual( visitors.map( () => own ) );
	expect( webhooks ).toEqual( webhooks.map( () => lowered ) );
} );
