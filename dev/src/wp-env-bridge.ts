/**
 * `npm run wp-env:bridge`: for a site started with `npx @wordpress/env start` (.wp-env.json),
 * runs the CRM sandbox and the bridge on this host and pairs the bridge with the containerised
 * site, the way an owner pairs one (a code from Pulse Sync » Status, then `pulse-sync-bridge
 * pair`). The site is reached from here at http://localhost:<wp-env port>; the bridge is reached
 * from the container at http://host.docker.internal:<port>, which wp-env maps to this host
 * (`extra_hosts: host.docker.internal:host-gateway`).
 *
 * Docker does not run on the project's machines: this is not run by the tests. What the tests
 * run is its logic: wpEnvPlan() and the site login (dev/test/wp-env-bridge.test.ts).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { followLogs } from './follow-logs';
import { ROOT } from './paths';
import { startDetached, stopGroup } from './processes';
import { DEMO_CLIENT } from './seed';
import { bridgeCommand, startCrmSandbox } from './services';
import { waitUntil, answers } from './wait';

/** What wp-env gives a new site (its documented defaults). */
export const WP_ENV_ADMIN = { user: 'admin', password: 'password' };
const WP_ENV_DEFAULT_PORT = 8888;

/** The name the containers know this host by (wp-env's extra_hosts). */
export const CONTAINER_HOST_NAME = 'host.docker.internal';

export interface WpEnvOptions {
	/** .wp-env.json, parsed. */
	config: { port?: number };
	env: NodeJS.ProcessEnv;
	platform: NodeJS.Platform;
	/** IPv4 address of the docker0 bridge (Linux), where host.docker.internal points. */
	dockerBridgeAddress: string | null;
	/** Folder for the bridge's data, the sandbox's state and the logs. */
	stateDir: string;
	bridgePort: number;
	crmPort: number;
}

export interface Command {
	command: string;
	args: string[];
	env: Record< string, string >;
}

export interface WpEnvPlan {
	siteUrl: string;
	/** Where the bridge listens on this host. */
	bridgeHost: string;
	/** The URL the site (inside its container) uses for the bridge. */
	bridgePublicUrl: string;
	crmUrl: string;
	dataDir: string;
	/** `wp-env run cli wp …` lines that point the plugin at the sandbox (no secret but the demo's). */
	configure: Command[];
	/** `pulse-sync-bridge pair …`, given the one-time code. */
	pair: ( code: string ) => Command;
	start: Command;
}

/** The port of wp-env's development site: WP_ENV_PORT, then .wp-env.json `port`, then 8888. */
export function wpEnvPort(
	config: { port?: number },
	env: NodeJS.ProcessEnv
): number {
	const raw = env.WP_ENV_PORT ?? config.port ?? WP_ENV_DEFAULT_PORT;
	const port = Number( raw );
	if ( ! Number.isInteger( port ) || port < 1 || port > 65535 ) {
		throw new Error(
			`WP_ENV_PORT / .wp-env.json port must be a port, got "${ raw }"`
		);
	}
	return port;
}

/**
 * Where the bridge must listen so that host.docker.internal reaches it: Docker Desktop (macOS,
 * Windows) forwards that name to this host's loopback; on Linux it is the docker0 address, an
 * explicit non-loopback address given to the bridge on purpose (only the containers use it).
 */
export function bridgeListenHost(
	platform: NodeJS.Platform,
	dockerBridgeAddress: string | null
): string {
	if ( platform !== 'linux' ) {
		return '127.0.0.1';
	}
	if ( ! dockerBridgeAddress ) {
		throw new Error(
			'no docker0 address found: is Docker running? (`ip -4 addr show docker0`)'
		);
	}
	return dockerBridgeAddress;
}

const wpCli = ( ...args: string[] ): Command => ( {
	command: 'npx',
	args: [ 'wp-env', 'run', 'cli', 'wp', ...args ],
	env: {},
} );

/** Everything the command will run, decided from its inputs alone (tested without Docker). */
export function wpEnvPlan( options: WpEnvOptions ): WpEnvPlan {
	const siteUrl = `http://localhost:${ wpEnvPort( options.config, options.env ) }`;
	const bridgeHost = bridgeListenHost(
		options.platform,
		options.dockerBridgeAddress
	);
	const bridgePublicUrl = `http://${ CONTAINER_HOST_NAME }:${ options.bridgePort }`;
	const crmUrl = `http://127.0.0.1:${ options.crmPort }`;
	const dataDir = path.join( options.stateDir, 'bridge' );
	const bridgeEnv = { PULSE_SYNC_DATA_DIR: dataDir };
	const settings = JSON.stringify( {
		crm_account_url: crmUrl,
		crm_client_id: DEMO_CLIENT.id,
	} );
	return {
		siteUrl,
		bridgeHost,
		bridgePublicUrl,
		crmUrl,
		dataDir,
		configure: [
			wpCli(
				'eval',
				`$s = get_option( 'pulse_sync_settings', array() ); update_option( 'pulse_sync_settings', array_merge( is_array( $s ) ? $s : array(), json_decode( '${ settings }', true ) ) );`
			),
			wpCli(
				'option',
				'update',
				'pulse_sync_crm_client_secret',
				DEMO_CLIENT.secret,
				'--autoload=no'
			),
		],
		pair: ( code ) => ( {
			...bridgeCommand(
				'pair',
				siteUrl,
				'--code',
				code,
				'--data-dir',
				dataDir,
				'--public-url',
				bridgePublicUrl
			),
			env: bridgeEnv,
		} ),
		start: {
			...bridgeCommand(
				'start',
				'--data-dir',
				dataDir,
				'--host',
				bridgeHost,
				'--port',
				String( options.bridgePort ),
				'--public-url',
				bridgePublicUrl
			),
			env: bridgeEnv,
		},
	};
}

/** Cookies of a response, as one Cookie header. */
function cookiesOf( response: Response ): string {
	return response.headers
		.getSetCookie()
		.map( ( cookie ) => cookie.split( ';' )[ 0 ] )
		.join( '; ' );
}

/**
 * Logs in to wp-admin as a browser does and returns the session cookies and a REST nonce
 * (what @wordpress/api-fetch sends), so that panel routes can be called from this host.
 */
export async function wpAdminSession(
	siteUrl: string,
	user: string,
	password: string
): Promise< { cookie: string; nonce: string } > {
	const test = 'wordpress_test_cookie=WP%20Cookie%20check';
	const login = await fetch( `${ siteUrl }/wp-login.php`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			cookie: test,
		},
		body: new URLSearchParams( {
			log: user,
			pwd: password,
			testcookie: '1',
			redirect_to: `${ siteUrl }/wp-admin/`,
		} ).toString(),
	} );
	const cookie = cookiesOf( login );
	if ( login.status !== 302 || ! cookie.includes( 'wordpress_logged_in_' ) ) {
		throw new Error(
			`could not log in to ${ siteUrl } as ${ user } (answer ${ login.status })`
		);
	}
	const nonce = await fetch(
		`${ siteUrl }/wp-admin/admin-ajax.php?action=rest-nonce`,
		{ headers: { cookie } }
	);
	const text = ( await nonce.text() ).trim();
	if ( ! nonce.ok || ! /^[0-9a-f]{10}$/.test( text ) ) {
		throw new Error(
			`no REST nonce from ${ siteUrl } (answer ${ nonce.status })`
		);
	}
	return { cookie, nonce: text };
}

/** A one-time pairing code, as Pulse Sync » Status » "Pair a bridge" asks for one. */
export async function requestPairingCode(
	siteUrl: string,
	session: { cookie: string; nonce: string }
): Promise< string > {
	const response = await fetch(
		`${ siteUrl }/wp-json/pulse-sync/v1/pairing/code`,
		{
			method: 'POST',
			headers: { cookie: session.cookie, 'x-wp-nonce': session.nonce },
		}
	);
	const body = ( await response.json() ) as { code?: string };
	if ( ! response.ok || typeof body.code !== 'string' ) {
		throw new Error(
			`no pairing code from ${ siteUrl } (answer ${ response.status })`
		);
	}
	return body.code;
}

function run( step: Command, what: string ): void {
	const result = spawnSync( step.command, step.args, {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, ...step.env },
	} );
	if ( result.status !== 0 ) {
		throw new Error( `${ what } failed (exit ${ result.status })` );
	}
}

function findDockerBridgeAddress(): string | null {
	const shown = spawnSync(
		'ip',
		[ '-4', '-o', 'addr', 'show', 'dev', 'docker0' ],
		{
			encoding: 'utf8',
		}
	);
	return (
		/inet (\d+\.\d+\.\d+\.\d+)\//.exec( shown.stdout ?? '' )?.[ 1 ] ?? null
	);
}

/** The command itself: sandbox and bridge in the foreground until Ctrl-C. */
export async function runWpEnvBridge(): Promise< number > {
	const stateDir = path.join( ROOT, '.wp-env-bridge' );
	const logDir = path.join( stateDir, 'logs' );
	fs.mkdirSync( logDir, { recursive: true } );
	const plan = wpEnvPlan( {
		config: JSON.parse(
			fs.readFileSync( path.join( ROOT, '.wp-env.json' ), 'utf8' )
		),
		env: process.env,
		platform: process.platform,
		dockerBridgeAddress:
			process.platform === 'linux' ? findDockerBridgeAddress() : null,
		stateDir,
		bridgePort: Number( process.env.PULSE_SYNC_BRIDGE_PORT ?? 8787 ),
		crmPort: Number( process.env.PULSE_STACK_CRM_PORT ?? 8790 ),
	} );
	if ( ! ( await answers( plan.siteUrl ) ) ) {
		throw new Error(
			`no site at ${ plan.siteUrl }: run \`npx @wordpress/env start\` first`
		);
	}
	const pids = [
		startCrmSandbox(
			Number( new URL( plan.crmUrl ).port ),
			stateDir,
			logDir
		),
	];
	try {
		await waitUntil( 'the CRM sandbox', () => answers( plan.crmUrl ) );
		plan.configure.forEach( ( step ) => run( step, 'wp-env run cli' ) );
		const code = await requestPairingCode(
			plan.siteUrl,
			await wpAdminSession(
				plan.siteUrl,
				WP_ENV_ADMIN.user,
				WP_ENV_ADMIN.password
			)
		);
		run( plan.pair( code ), 'pulse-sync-bridge pair' );
		pids.push(
			startDetached( {
				name: 'bridge',
				...plan.start,
				logFile: path.join( logDir, 'bridge.log' ),
			} )
		);
		console.log(
			`[wp-env] bridge at ${ plan.bridgePublicUrl } (for the site), CRM sandbox at ${ plan.crmUrl };\n` +
				`[wp-env] open ${ plan.siteUrl }/wp-admin/admin.php?page=pulse-sync and connect the CRM. Ctrl-C stops both.`
		);
		await followLogs( logDir );
		return 0;
	} finally {
		for ( const pid of pids ) {
			await stopGroup( pid );
		}
	}
}
