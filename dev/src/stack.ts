/**
 * Bringing the whole stack up and down. `up` starts every service in the background and records
 * what it owns in stack.json as it goes, so `down` (even after a failed `up`) stops exactly those
 * processes and nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { requestedBridges, startBridgeFleet } from './bridge-fleet';
import { buildBridge } from './build';
import { siteDatabase, startMariaDb } from './mariadb';
import { stateDir, stackFile } from './paths';
import { freePort, pickPort } from './ports';
import { isAlive, stopGroup } from './processes';
import { seedDemo } from './seed';
import { startBridge, startCrmSandbox, startSmtpSink } from './services';
import {
	readStack,
	writeStack,
	type OwnedProcess,
	type StackInfo,
	type StackSite,
} from './stack-file';
import {
	pairSite,
	requestedSites,
	type PairingTarget,
	siteDatabaseName,
	siteSuffix,
} from './stack-sites';
import { ensurePackages, STACK_PACKAGES } from './system-packages';
import { answers, waitUntil } from './wait';
import { installSite, pluginMode, runPhp } from './wordpress-site';
import { wordpressCore } from './wordpress-core';
import {
	describeServer,
	requestedServer,
	servedSites,
	startWebServer,
} from './web-server';

export async function isRunning( info: StackInfo | null ): Promise< boolean > {
	return (
		info !== null &&
		info.processes.length > 0 &&
		info.processes.every( ( owned ) => isAlive( owned.pid ) ) &&
		( await answers( `${ info.siteUrl }/wp-login.php` ) )
	);
}

export async function up(): Promise< StackInfo > {
	const existing = readStack();
	if ( await isRunning( existing ) ) {
		console.log( `[stack] already running (${ stackFile() })` );
		return existing as StackInfo;
	}
	if ( existing ) {
		await down(); // Leftovers of a stack that died or half started.
	}
	ensurePackages( STACK_PACKAGES );
	const fleet = requestedBridges();
	const siteCount = requestedSites();
	if ( fleet.postgres ) {
		ensurePackages( [ 'postgresql' ] );
	}
	const dir = stateDir();
	// PULSE_STACK_SERVICES=wordpress: MariaDB, SMTP sink and WordPress only (plugin-only tests).
	const withServices = process.env.PULSE_STACK_SERVICES !== 'wordpress';
	// PULSE_STACK_PLUGIN=none: WordPress without the plugin (release tests upload the zip), so
	// nothing that needs the plugin runs: no settings, no bridge (it needs the plugin's secret).
	const withPlugin = pluginMode() === 'linked';
	const withBridge = withServices && withPlugin;
	if ( withBridge ) {
		buildBridge();
	}
	const core = wordpressCore();
	const server = requestedServer();
	const logDir = path.join( dir, 'logs' );
	const mailDir = path.join( dir, 'mail' );
	fs.mkdirSync( logDir, { recursive: true } );
	fs.mkdirSync( mailDir, { recursive: true } );

	const wpPort = await pickPort( 'PULSE_STACK_WP_PORT', 8888 );
	const extraPorts: number[] = [];
	for ( let n = 2; n <= siteCount; n++ ) {
		extraPorts.push( await freePort() );
	}
	const bridgePort = await pickPort( 'PULSE_STACK_BRIDGE_PORT', 8787 );
	const crmPort = await pickPort( 'PULSE_STACK_CRM_PORT', 8790 );
	const smtpPort = await pickPort( 'PULSE_STACK_SMTP_PORT', 2525 );
	const siteUrl = `http://127.0.0.1:${ wpPort }`;
	const info: StackInfo = {
		wpVersion: core.version,
		server,
		siteUrl,
		adminUrl: `${ siteUrl }/wp-admin/`,
		adminUser: '',
		adminPassword: '',
		accessKey: '',
		bridgeSecret: '',
		bridgeUrl: `http://127.0.0.1:${ bridgePort }`,
		crmSandboxUrl: `http://127.0.0.1:${ crmPort }`,
		mailDir,
		smtpPort,
		dbSocket: path.join( dir, 'mysqld.sock' ),
		dbName: 'wordpress',
		wpDir: path.join( dir, 'wordpress' ),
		logDir,
		sites: [],
		processes: [],
		startedAt: new Date().toISOString(),
	};
	const own = ( name: string, pid: number ) => {
		info.processes.push( { name, pid } );
		writeStack( info );
	};
	try {
		console.log(
			`[stack] starting MariaDB, SMTP sink and CRM sandbox (WordPress ${ core.version } under ${ describeServer( server ) })`
		);
		const db = await startMariaDb( dir, logDir );
		own( 'mariadb', db.pid );
		own( 'smtp', startSmtpSink( smtpPort, mailDir, logDir ) );
		if ( withServices ) {
			own( 'crm-sandbox', startCrmSandbox( crmPort, dir, logDir ) );
		}

		console.log(
			withPlugin
				? '[stack] installing WordPress and activating Pulse Sync'
				: '[stack] installing WordPress without Pulse Sync (PULSE_STACK_PLUGIN=none)'
		);
		for ( let n = 1; n <= siteCount; n++ ) {
			const url =
				n === 1 ? siteUrl : `http://127.0.0.1:${ extraPorts[ n - 2 ] }`;
			const suffix = siteSuffix( n );
			const dbName = siteDatabaseName( n );
			const site = installSite( {
				core,
				dir,
				wpDir: path.join( dir, `wordpress${ suffix }` ),
				siteUrl: url,
				db: n === 1 ? db : siteDatabase( db, dbName ),
				smtpPort,
				logDir,
				debugLog: `wp-debug${ suffix }.log`,
			} );
			if ( n === 1 ) {
				Object.assign( info, {
					adminUser: site.adminUser,
					adminPassword: site.adminPassword,
					accessKey: site.accessKey,
					bridgeSecret: site.bridgeSecret,
				} );
			}
			info.sites.push( {
				siteUrl: url,
				adminUrl: `${ url }/wp-admin/`,
				accessKey: site.accessKey,
				bridgeSecret: site.bridgeSecret,
				bridgeUrl: info.bridgeUrl,
				dbName,
				wpDir: site.wpDir,
			} );
			if ( withPlugin ) {
				runPhp(
					site.wpDir,
					'configure.php',
					{},
					{
						settings: {
							bridge_url: info.bridgeUrl,
							crm_account_url: info.crmSandboxUrl,
							crm_portal_url: info.crmSandboxUrl,
						},
					}
				);
			}
		}
		writeStack( info );
		await startWebServer(
			{ server, dir, sites: servedSites( info ), logDir },
			( owned ) => own( owned.name, owned.pid )
		);
		for ( const site of info.sites ) {
			await waitUntil(
				`WordPress under ${ describeServer( server ) } at ${ site.siteUrl }`,
				() => answers( `${ site.siteUrl }/wp-login.php` ),
				30000
			);
		}
		if ( withServices ) {
			await waitUntil(
				'the CRM sandbox',
				() => answers( `${ info.crmSandboxUrl }/api/v1/tags` ),
				30000
			);
		}
		if ( withBridge && fleet.postgres ) {
			console.log(
				`[stack] starting PostgreSQL and ${ fleet.count } bridge(s) behind nginx`
			);
			info.bridgeFleet = await startBridgeFleet(
				{
					count: fleet.count,
					frontPort: bridgePort,
					siteUrl,
					secret: info.bridgeSecret,
					dir,
					logDir,
				},
				own
			);
			await seedSites( info, {
				bridgeUrl: info.bridgeUrl,
				members: info.bridgeFleet.bridgeUrls.map( ( url, index ) => ( {
					url,
					log: path.join( logDir, `bridge-${ index + 1 }.log` ),
				} ) ),
				dataDir: path.join( dir, 'bridge-1' ),
				databaseUrl: info.bridgeFleet.databaseUrl,
				firstSiteUrl: siteUrl,
			} );
		} else if ( withBridge ) {
			own(
				'bridge',
				startBridge(
					{
						port: bridgePort,
						siteUrl,
						secret: info.bridgeSecret,
						dbFile: path.join( dir, 'bridge.sqlite' ),
					},
					logDir
				)
			);
			await waitUntil(
				'the bridge',
				() => answers( `${ info.bridgeUrl }/v1/health` ),
				30000
			);
			await seedSites( info, {
				bridgeUrl: info.bridgeUrl,
				members: [
					{
						url: info.bridgeUrl,
						log: path.join( logDir, 'bridge.log' ),
					},
				],
				dataDir: dir,
				firstSiteUrl: siteUrl,
			} );
		}
		writeStack( info );
		return info;
	} catch ( error ) {
		console.error( `[stack] start failed; logs are in ${ logDir }` );
		await down();
		throw error;
	}
}

/**
 * Seeds the first site (its bridge configured from the environment, as always), then pairs each
 * other site with the same bridge(s) and seeds it through its own bridge route.
 * @param info   The stack (its sites listed).
 * @param target Where the bridge(s) are, for `pulse-sync-bridge pair`.
 */
async function seedSites(
	info: StackInfo,
	target: PairingTarget
): Promise< void > {
	const [ first, ...others ] = info.sites as [ StackSite, ...StackSite[] ];
	await seedDemo( info, first );
	for ( const site of others ) {
		Object.assign(
			site,
			await pairSite(
				site,
				{ user: info.adminUser, password: info.adminPassword },
				target
			)
		);
		writeStack( info );
		await seedDemo( info, site );
	}
}

export async function down(): Promise< void > {
	const info = readStack();
	if ( ! info ) {
		console.log( '[stack] nothing to stop' );
		return;
	}
	// Reverse order: the bridge stops before WordPress and the database it writes to.
	const owned: OwnedProcess[] = [ ...info.processes ].reverse();
	for ( const process of owned ) {
		await stopGroup( process.pid );
	}
	info.processes = [];
	writeStack( info );
	console.log(
		`[stack] stopped ${ owned.map( ( p ) => p.name ).join( ', ' ) || 'nothing' }`
	);
}
