/**
 * A bridge on another host, behind TLS: the bridge runs in its own network namespace (a second
 * "host" joined by a veth pair) on that host's loopback, its default PULSE_SYNC_BRIDGE_HOST, with
 * nginx from deploy/nginx/pulse-sync-bridge.conf terminating TLS on the host's address. The
 * stack's WordPress is pointed at `https://<that address>` (bridge_url, set the way the stack
 * sets settings) and trusts the test's throwaway CA for that host only (a test mu-plugin). A
 * webhook must create its user over that path: WordPress → TLS → nginx → bridge → CRM sandbox
 * and back to WordPress over TLS too (the bridge accepts a plain-http site only on its own
 * machine), each hop between the hosts over the veth link.
 *
 * The bridge's data (queue and CRM tokens) is moved from the stack's bridge with SQLite's online
 * backup, as docs/deploy.md moves a bridge to a new host. Skipped, with the reason, where no
 * namespace can be made (not root, no `ip netns`); CI runs as root.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
	checkNginx,
	renderNginxSite,
	writeNginxConfig,
} from '../dev/src/deploy-files';
import { stackFile } from '../dev/src/paths';
import { startDetached, stopGroup } from '../dev/src/processes';
import { bridgeCommand } from '../dev/src/services';
import { makeTestCertificates } from '../dev/src/test-certificates';
import { waitUntil } from '../dev/src/wait';
import { runPhp } from '../dev/src/wordpress-site';
import {
	createNamespace,
	forwardTcp,
	inNamespace,
	namespaceUnavailable,
	removeNamespace,
	type Namespace,
} from './support/namespace';
import { newContacts, removeWebhookRules } from './support/sandbox';
import {
	configure,
	currentSettings,
	stack,
	usersForContact,
} from './support/stack';
import { sendWebhook } from './support/webhook';
import { waitForQuiet } from './support/bridge';

const unavailable = namespaceUnavailable();
if ( unavailable ) {
	console.warn( `bridge-other-host.test.ts skipped: ${ unavailable }` );
}
const describeWithNamespace = unavailable ? describe.skip : describe;

/** The bridge's own port inside its host; nginx proxies 443 to it (as in the snippet). */
const BRIDGE_PORT = 8787;
const MU_PLUGIN = 'pulse-test-bridge-tls.php';
/** PulseSync\\Bridge\\BridgeUrl::PAIRED_OPTION. */
const PAIRED_URL_OPTION = 'pulse_sync_bridge_paired_url';

describeWithNamespace( 'a bridge on another host, behind TLS', () => {
	let ns: Namespace;
	let work: string;
	let settingsBefore: Record< string, unknown >;
	let muPlugin: string;
	const pids: number[] = [];
	const forwarders: Array< { close: () => Promise< void > } > = [];

	beforeAll( async () => {
		const info = stack();
		await removeWebhookRules();
		await waitForQuiet();
		settingsBefore = currentSettings();
		work = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-other-host-' ) );
		ns = createNamespace( ( process.pid % 10000 ).toString( 36 ) );

		// One throwaway CA for both hosts: the bridge's certificate (nginx on the other host) and
		// the site's (this host's end of the link).
		const tls = makeTestCertificates( path.join( work, 'tls' ), [
			ns.address,
			ns.hostAddress,
		] );

		// What the other host needs from this one, each at this host's end of the link: the site
		// over https (the bridge refuses a plain-http site that is not on its own machine), as a
		// real site's web server serves it, and the CRM (in real life on the internet).
		const wpPort = Number( new URL( info.siteUrl ).port );
		const crm = new URL( info.crmSandboxUrl );
		forwarders.push(
			await forwardTcp(
				{ host: ns.hostAddress, port: wpPort },
				{ host: '127.0.0.1', port: wpPort },
				{
					cert: fs.readFileSync( tls.certificateFile, 'utf8' ),
					key: fs.readFileSync( tls.keyFile, 'utf8' ),
				}
			),
			await forwardTcp(
				{ host: ns.hostAddress, port: Number( crm.port ) },
				{ host: '127.0.0.1', port: Number( crm.port ) }
			)
		);

		// The bridge's data moves with it: the queue and the CRM connection of the stack's bridge.
		const dataDir = path.join( work, 'bridge-data' );
		fs.mkdirSync( dataDir, { mode: 0o700 } );
		const stackDb = new Database(
			path.join(
				path.dirname( process.env.PULSE_STACK_FILE ?? stackFile() ),
				'bridge.sqlite'
			),
			{ readonly: true }
		);
		await stackDb.backup( path.join( dataDir, 'bridge.db' ) );
		stackDb.close();

		const bridgeLog = path.join( work, 'bridge.log' );
		const { command, args } = bridgeCommand( 'start' );
		const bridge = inNamespace( ns, command, args );
		pids.push(
			startDetached( {
				name: 'bridge (other host)',
				...bridge,
				env: {
					// Loopback is the default; set here so the test says what it relies on.
					PULSE_SYNC_BRIDGE_HOST: '127.0.0.1',
					PULSE_SYNC_BRIDGE_PORT: String( BRIDGE_PORT ),
					PULSE_SYNC_SITE_URL: `https://${ ns.hostAddress }:${ wpPort }`,
					// The site's certificate is from the test CA too.
					NODE_EXTRA_CA_CERTS: tls.caFile,
					PULSE_SYNC_BRIDGE_SECRET: info.bridgeSecret,
					PULSE_SYNC_DATA_DIR: dataDir,
					PULSE_SYNC_BRIDGE_DB: path.join( dataDir, 'bridge.db' ),
				},
				logFile: bridgeLog,
			} )
		);

		// nginx from the deploy snippet, with the lines an owner edits filled in for this host;
		// plus what stands for the internet on that host: the CRM's address, through the link.
		const nginxConfig = writeNginxConfig(
			path.join( work, 'nginx' ),
			renderNginxSite( {
				listen: `${ ns.address }:443`,
				serverName: ns.address,
				certificateFile: tls.certificateFile,
				keyFile: tls.keyFile,
			} ),
			`\tserver {
		listen 127.0.0.1:${ crm.port };
		location / { proxy_pass http://${ ns.hostAddress }:${ crm.port }; proxy_set_header Host $http_host; }
	}`
		);
		const parsed = checkNginx( nginxConfig, [
			'ip',
			'netns',
			'exec',
			ns.name,
		] );
		if ( ! parsed.ok ) {
			throw new Error(
				`nginx -t refused the rendered snippet: ${ parsed.output }`
			);
		}
		pids.push(
			startDetached( {
				name: 'nginx (other host)',
				...inNamespace( ns, 'nginx', [
					'-c',
					nginxConfig,
					'-p',
					path.dirname( nginxConfig ),
				] ),
				logFile: path.join( work, 'nginx.log' ),
			} )
		);

		// WordPress trusts the test CA for that host only, and sends deliveries there.
		muPlugin = path.join(
			info.wpDir,
			'wp-content',
			'mu-plugins',
			MU_PLUGIN
		);
		fs.copyFileSync(
			path.join( __dirname, 'support', MU_PLUGIN ),
			muPlugin
		);
		configure( {
			bridge_url: `https://${ ns.address }`,
			wait_budget_ms: 20000,
		} );
		setOptions( {
			pulse_test_bridge_tls: { host: ns.address, ca_file: tls.caFile },
			// What pairing records for the URL a bridge announces: the site then trusts that
			// (private) address as its bridge, as after `pulse-sync-bridge pair --public-url`.
			[ PAIRED_URL_OPTION ]: `https://${ ns.address }`,
		} );

		const ca = fs.readFileSync( tls.caFile, 'utf8' );
		await waitUntil(
			'the bridge on the other host to answer through nginx',
			async () =>
				( await httpsStatus(
					`https://${ ns.address }/v1/health`,
					ca
				) ) === 200,
			30000
		).catch( ( error: Error ) => {
			throw new Error(
				`${ error.message }\n${ [
					bridgeLog,
					path.join( work, 'nginx', 'error.log' ),
				]
					.map( ( file ) => `--- ${ file }\n${ tail( file ) }` )
					.join( '\n' ) }`
			);
		} );
	}, 120000 );

	afterAll( async () => {
		if ( muPlugin ) {
			fs.rmSync( muPlugin, { force: true } );
		}
		if ( settingsBefore ) {
			configure( settingsBefore );
			setOptions( {
				pulse_test_bridge_tls: '',
				[ PAIRED_URL_OPTION ]: '',
			} );
		}
		for ( const pid of pids.reverse() ) {
			await stopGroup( pid, 10000 );
		}
		for ( const forwarder of forwarders ) {
			await forwarder.close();
		}
		if ( ns ) {
			removeNamespace( ns );
		}
		if ( work ) {
			fs.rmSync( work, { recursive: true, force: true } );
		}
	}, 60000 );

	test( 'a webhook creates its user through https://<other host>', async () => {
		const [ id ] = await newContacts( 1, [ 2 ] );
		// Through WordPress (`/index.php`): the test CA is trusted by a must-use plugin, which the
		// lean endpoint of the nginx rule does not load (it loads no plugins: docs/deploy.md).
		const answer = await sendWebhook(
			'add',
			id as number,
			'form',
			{},
			'/index.php'
		);
		expect( answer.body ).toMatchObject( {
			success: true,
			status: 'created',
			contact_id: id,
		} );
		expect( answer.status ).toBe( 200 );
		const users = usersForContact( id as number );
		expect( users ).toHaveLength( 1 );
		expect( answer.body.user_id ).toBe( users[ 0 ]?.id );

		// It went through nginx on the other host, not to the stack's own bridge.
		const access = fs.readFileSync(
			path.join( work, 'nginx', 'access.log' ),
			'utf8'
		);
		expect( access ).toMatch( /"POST \/v1\/deliveries HTTP\/1\.1" 200/ );
	} );

	test( 'a client that does not trust the test CA is refused (TLS is really checked)', async () => {
		expect( await httpsStatus( `https://${ ns.address }/v1/health` ) ).toBe(
			'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
		);
	} );

	test( 'the bridge itself is not reachable from outside its host (loopback only)', async () => {
		const refused = await new Promise< boolean >( ( resolve ) => {
			const socket = net.connect( BRIDGE_PORT, ns.address );
			socket.setTimeout( 5000, () => {
				socket.destroy();
				resolve( false );
			} );
			socket.on( 'connect', () => {
				socket.destroy();
				resolve( false );
			} );
			socket.on( 'error', ( error: NodeJS.ErrnoException ) =>
				resolve( error.code === 'ECONNREFUSED' )
			);
		} );
		expect( refused ).toBe( true );
	} );
} );

/** The last lines of a log, for a failure message ('' when there is no such file). */
function tail( file: string ): string {
	return fs.existsSync( file )
		? fs
				.readFileSync( file, 'utf8' )
				.split( '\n' )
				.slice( -20 )
				.join( '\n' )
		: '(no such file)';
}

/** Options by name, through the stack's configure script. */
function setOptions( options: Record< string, unknown > ): void {
	runPhp( stack().wpDir, 'configure.php', {}, { options } );
}

/**
 * GET over https: the status, or the error code when no answer came (e.g. ECONNREFUSED, or
 * UNABLE_TO_VERIFY_LEAF_SIGNATURE for a certificate from a CA the client does not trust).
 * @param url The URL.
 * @param ca  The only CA to trust; without it, Node's own list.
 */
function httpsStatus( url: string, ca?: string ): Promise< number | string > {
	return new Promise( ( resolve ) => {
		const options = ca ? { ca, timeout: 3000 } : { timeout: 3000 };
		const request = https.get( url, options, ( response ) => {
			response.resume();
			resolve( response.statusCode ?? 'no status' );
		} );
		request.on( 'timeout', () => request.destroy() );
		request.on( 'error', ( error: NodeJS.ErrnoException ) =>
			resolve( error.code ?? error.message )
		);
	} );
}
