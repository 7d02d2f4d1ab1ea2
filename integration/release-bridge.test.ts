/**
 * The bridge from its release artifact alone: the `npm pack` tarball (dev/src/release-bridge.ts)
 * installed into an empty folder outside the repository, `npx pulse-sync-bridge start` run from
 * there, paired with the stack's WordPress through a code from the panel's route, the CRM
 * connected through wp-admin, and a tag applied in the CRM sandbox creates the user.
 *
 * The stack's own bridge is replaced for the length of this file (the site pairs with the new
 * one); afterAll gives the site its stack bridge and secret back.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../dev/src/ports';
import { packBridge } from '../dev/src/release-bridge';
import { runPhp } from '../dev/src/wordpress-site';
import { waitUntil } from '../dev/src/wait';
import { adminSession, type AdminSession } from './support/admin';
import { control, crmApi, newContacts } from './support/sandbox';
import { stack, usersForContact } from './support/stack';
import { waitForQuiet } from './support/bridge';

// Installing compiles better-sqlite3 (no prebuilt binary is reachable here): 2.5 min of CPU,
// measured 16 min of wall time with three other compiles on the same two cores.
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const TAG_ID = 1;

let workDir: string;
let installDir: string;
let dataDir: string;
let port: number;
let bridge: ChildProcess | null = null;
let bridgeOutput = '';
let admin: AdminSession;
let ruleId: number | null = null;

/** The installed command, run as an owner would: npx in the install folder, no repo env. */
function npx( args: string[] ): { status: number | null; out: string } {
	const run = spawnSync(
		'npx',
		[ '--no-install', 'pulse-sync-bridge', ...args ],
		{
			cwd: installDir,
			env: cleanEnv(),
			encoding: 'utf8',
			timeout: 60_000,
		}
	);
	return { status: run.status, out: `${ run.stdout }${ run.stderr }` };
}

function cleanEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for ( const [ name, value ] of Object.entries( process.env ) ) {
		if ( ! name.startsWith( 'PULSE_' ) ) {
			env[ name ] = value;
		}
	}
	// A short retry schedule, as the stack's own bridge has in tests.
	env.PULSE_SYNC_RETRY_SCHEDULE = '2s,5s,10s';
	return env;
}

beforeAll( async () => {
	await waitForQuiet();
	workDir = fs.mkdtempSync(
		path.join( os.tmpdir(), 'pulse-bridge-release-' )
	);
	installDir = path.join( workDir, 'install' );
	dataDir = path.join( workDir, 'data' );
	fs.mkdirSync( installDir );
	const tarball = packBridge( path.join( workDir, 'release' ) );
	if (
		! /^pulse-sync-bridge-\d+\.\d+\.\d+\.tgz$/.test(
			path.basename( tarball )
		)
	) {
		throw new Error( `unexpected tarball name ${ tarball }` );
	}
	const started = Date.now();
	const install = spawnSync(
		'npm',
		[ 'install', '--no-audit', '--no-fund', '--omit=dev', tarball ],
		{
			cwd: installDir,
			encoding: 'utf8',
			timeout: INSTALL_TIMEOUT_MS,
			// The normal npm cache, so a machine that installed better-sqlite3 once reuses it.
			env: {
				...cleanEnv(),
				npm_config_cache: path.join( os.homedir(), '.npm' ),
			},
		}
	);
	console.log(
		`[release-bridge] npm install of the tarball took ${ ( ( Date.now() - started ) / 1000 ).toFixed( 1 ) } s`
	);
	if ( install.status !== 0 ) {
		throw new Error(
			`npm install failed:\n${ install.stdout }${ install.stderr }`
		);
	}
	port = await freePort();
	admin = await adminSession();
}, INSTALL_TIMEOUT_MS + 120_000 );

afterAll( async () => {
	if ( ruleId !== null ) {
		await control( 'DELETE', `webhooks/${ ruleId }` ).catch( () => {} );
	}
	if ( bridge?.pid !== undefined ) {
		try {
			process.kill( -bridge.pid, 'SIGKILL' );
		} catch {
			// Stopped by the test already.
		}
	}
	const info = stack();
	// Back to the stack's bridge: its URL and the secret it was started with.
	runPhp(
		info.wpDir,
		'configure.php',
		{},
		{
			settings: { bridge_url: info.bridgeUrl },
			options: {
				pulse_sync_bridge_secret: info.bridgeSecret,
				pulse_sync_bridge_previous_secret: '',
				pulse_sync_bridge_paired_url: '',
				pulse_sync_bridge_pairing: '',
				pulse_sync_bridge_last_seen: '',
			},
		}
	);
	fs.rmSync( workDir, { recursive: true, force: true } );
} );

test( 'installed from the tarball alone: only compiled JavaScript and the runtime dependencies', () => {
	const packaged = path.join(
		installDir,
		'node_modules',
		'@pulse-sync',
		'bridge'
	);
	const files = listFiles( packaged );
	expect( files ).toContain( 'dist/cli.js' );
	expect(
		files.filter(
			( file ) => ! /^dist\/.*\.js$|^package\.json$/.test( file )
		)
	).toEqual( [] );
	expect( files.some( ( file ) => /test|\.map$|\.ts$/.test( file ) ) ).toBe(
		false
	);
	const installed = fs.readdirSync( path.join( installDir, 'node_modules' ) );
	expect( installed ).toEqual(
		expect.arrayContaining( [ 'better-sqlite3', 'standardwebhooks' ] )
	);
	expect( installed ).not.toContain( 'typescript' );
	expect( installed ).not.toContain( 'jest' );
	expect( npx( [ '--version' ] ) ).toEqual( {
		status: 0,
		out: `${ JSON.parse( fs.readFileSync( path.join( packaged, 'package.json' ), 'utf8' ) ).version }\n`,
	} );
} );

test( 'npx pulse-sync-bridge start, pair with a code from the panel, connect the CRM: a tag creates the user', async () => {
	const info = stack();
	bridge = spawn(
		'npx',
		[
			'--no-install',
			'pulse-sync-bridge',
			'start',
			'--data-dir',
			dataDir,
			'--port',
			String( port ),
		],
		{
			cwd: installDir,
			env: cleanEnv(),
			stdio: [ 'ignore', 'pipe', 'pipe' ],
			// Its own process group: a signal reaches npx and the bridge under it alike.
			detached: true,
		}
	);
	bridge.stdout?.on( 'data', ( chunk: Buffer ) => ( bridgeOutput += chunk ) );
	bridge.stderr?.on( 'data', ( chunk: Buffer ) => ( bridgeOutput += chunk ) );
	const bridgeUrl = `http://127.0.0.1:${ port }`;
	const readyStatus = async () => {
		try {
			return ( await fetch( `${ bridgeUrl }/v1/ready` ) ).status;
		} catch {
			return 0;
		}
	};
	await waitUntil(
		'the installed bridge',
		async () => ( await readyStatus() ) !== 0,
		60_000
	);
	// Not paired yet: alive, not ready.
	expect( await readyStatus() ).toBe( 503 );

	const issued = await admin.rest( 'POST', '/pairing/code' );
	expect( issued.status ).toBe( 200 );
	expect( issued.json.command ).toBe(
		`npx pulse-sync-bridge pair ${ info.siteUrl } --code ${ issued.json.code }`
	);
	const paired = npx( [
		'pair',
		info.siteUrl,
		'--code',
		issued.json.code,
		'--data-dir',
		dataDir,
		'--public-url',
		bridgeUrl,
	] );
	expect( paired.status ).toBe( 0 );
	const configFile = path.join( dataDir, 'config.json' );
	const stored = JSON.parse( fs.readFileSync( configFile, 'utf8' ) );
	expect( ( fs.statSync( configFile ).mode % 0o1000 ).toString( 8 ) ).toBe(
		'600'
	);
	expect( stored.secret ).toMatch( /^whsec_/ );
	expect( paired.out ).not.toContain( stored.secret );
	// The running bridge picks the pairing up from config.json, without a restart.
	await waitUntil(
		'the bridge to be ready',
		async () => ( await readyStatus() ) === 200,
		20_000
	);

	// Connect the CRM as the owner does: Connect, authorize in the CRM, back to wp-admin.
	const connect = await admin.rest( 'POST', '/crm/connect' );
	expect( connect.status ).toBe( 200 );
	const authorize = new URL( connect.json.authorize_url );
	const redirectUri = authorize.searchParams.get( 'redirect_uri' ) as string;
	const { code } = await control< { code: string } >( 'POST', 'oauth/code', {
		client_id: authorize.searchParams.get( 'client_id' ),
		redirect_uri: redirectUri,
	} );
	const callback = new URL( redirectUri );
	callback.searchParams.set( 'code', code );
	callback.searchParams.set(
		'state',
		authorize.searchParams.get( 'state' ) as string
	);
	const back = await admin.page(
		`${ callback.pathname }${ callback.search }`
	);
	expect( back.headers.get( 'location' ) ).toContain( 'crm_connected' );

	const status = npx( [
		'status',
		'--data-dir',
		dataDir,
		'--port',
		String( port ),
	] );
	expect( status.out ).toMatch( /^site reachable: yes/m );
	expect( status.out ).toMatch( /^signature accepted: yes/m );
	expect( status.out ).toMatch( /^CRM connected: yes/m );
	expect( status.status ).toBe( 0 );
	expect( status.out ).not.toContain( stored.secret );

	const rule = await control< { id: number } >( 'POST', 'webhooks', {
		trigger: 'tag_applied',
		tag_id: TAG_ID,
		url: `${ info.siteUrl }/?wpf_action=add&access_key=${ info.accessKey }`,
		format: 'json',
	} );
	ruleId = rule.id;
	const [ contactId ] = await newContacts( 1 );
	await crmApi( 'POST', `contacts/${ contactId }/tag-apply`, {
		'tag_id[0]': String( TAG_ID ),
	} );
	await waitUntil(
		'the user of the tagged contact',
		async () => usersForContact( contactId as number ).length === 1,
		60_000
	);
	// This bridge did the work, not the stack's own. It logs `job.done` only after WordPress
	// answered (the user is in the database by then) and the job is recorded in SQLite, and its
	// output reaches this process through a pipe: on a loaded machine the user is seen first.
	const jobDone = new RegExp(
		`"event":"job.done".*"contact_id":${ contactId }`
	);
	// On a timeout the assertion below fails with the whole output.
	await waitUntil(
		`the installed bridge to log job.done for contact ${ contactId }`,
		() => jobDone.test( bridgeOutput ),
		30_000
	).catch( () => undefined );
	expect( bridgeOutput ).toMatch( jobDone );
	expect( bridgeOutput ).not.toContain( stored.secret );

	// The exit code of the command itself is pinned by bridge/test/shutdown.test.ts; npx dies
	// of the signal, and the output closes once the bridge has stopped too.
	const closed = new Promise( ( resolve ) =>
		bridge?.stdout?.once( 'close', resolve )
	);
	process.kill( -( bridge.pid as number ), 'SIGTERM' );
	await closed;
	expect( bridgeOutput ).toContain( '"event":"bridge.stopped"' );
}, 240_000 );

function listFiles( dir: string, prefix = '' ): string[] {
	return fs
		.readdirSync( dir, { withFileTypes: true } )
		.flatMap( ( entry ) =>
			entry.isDirectory()
				? listFiles(
						path.join( dir, entry.name ),
						`${ prefix }${ entry.name }/`
					)
				: [ `${ prefix }${ entry.name }` ]
		);
}
