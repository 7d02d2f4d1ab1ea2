/**
 * Several bridges of one site on a private PostgreSQL (PULSE_STACK_DB=postgres,
 * PULSE_STACK_BRIDGES=N): each bridge its own process, port and data folder, all sharing the
 * database, and one URL in front of them for the plugin, an nginx upstream on loopback as
 * docs/deploy.md sets it up ("Several bridges behind one URL").
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeNginxConfig } from './deploy-files';
import { freePort } from './ports';
import { startPostgres } from './postgres';
import { startDetached } from './processes';
import { startBridge, type BridgeEnv } from './services';
import { answers, waitUntil } from './wait';

export interface FleetOptions {
	/** How many bridges (PULSE_STACK_BRIDGES). */
	count: number;
	/** The port of the one URL in front of them (the stack's bridge URL). */
	frontPort: number;
	siteUrl: string;
	secret: string;
	/** The stack's state folder. */
	dir: string;
	logDir: string;
}

export interface BridgeFleet {
	databaseUrl: string;
	/** Each bridge's own URL, in order (bridge-1, bridge-2, …). */
	bridgeUrls: string[];
}

/** Which database the stack's bridges use: PULSE_STACK_DB=postgres, or SQLite by default. */
export function requestedBridges(): { postgres: boolean; count: number } {
	const db = process.env.PULSE_STACK_DB ?? 'sqlite';
	if ( db !== 'sqlite' && db !== 'postgres' ) {
		throw new Error(
			`PULSE_STACK_DB must be sqlite or postgres, got "${ db }"`
		);
	}
	const count = Number( process.env.PULSE_STACK_BRIDGES ?? '1' );
	if ( ! Number.isInteger( count ) || count < 1 || count > 8 ) {
		throw new Error(
			'PULSE_STACK_BRIDGES must be a whole number from 1 to 8'
		);
	}
	if ( count > 1 && db !== 'postgres' ) {
		throw new Error(
			'PULSE_STACK_BRIDGES > 1 needs PULSE_STACK_DB=postgres (bridges share one database)'
		);
	}
	return { postgres: db === 'postgres', count };
}

/**
 * Starts PostgreSQL, the bridges and nginx in front; each process is handed to `own` as soon as
 * it runs, so a failed start is still stopped by `stack:down`.
 * @param options The fleet.
 * @param own     Records a process the stack owns.
 */
export async function startBridgeFleet(
	options: FleetOptions,
	own: ( name: string, pid: number ) => void
): Promise< BridgeFleet > {
	const postgres = await startPostgres(
		options.dir,
		options.logDir,
		await freePort()
	);
	own( 'postgres', postgres.pid );
	const bridgeUrls: string[] = [];
	for ( let n = 1; n <= options.count; n++ ) {
		const name = `bridge-${ n }`;
		const env: BridgeEnv = {
			name,
			port: await freePort(),
			siteUrl: options.siteUrl,
			secret: options.secret,
			dbFile: path.join( options.dir, name, 'bridge.sqlite' ),
			databaseUrl: postgres.url,
		};
		fs.mkdirSync( path.dirname( env.dbFile ), {
			recursive: true,
			mode: 0o700,
		} );
		own( name, startBridge( env, options.logDir ) );
		const url = `http://127.0.0.1:${ env.port }`;
		// One at a time: the first migrates the database, the others find it ready.
		await waitUntil( name, () => answers( `${ url }/v1/health` ), 30000 );
		bridgeUrls.push( url );
	}
	own( 'bridge-front', startFront( options, bridgeUrls ) );
	await waitUntil(
		'the nginx in front of the bridges',
		() => answers( `http://127.0.0.1:${ options.frontPort }/v1/health` ),
		30000
	);
	return { databaseUrl: postgres.url, bridgeUrls };
}

/** nginx, as in docs/deploy.md: one upstream of every bridge, the next one tried on a refused connection. */
function startFront( options: FleetOptions, bridgeUrls: string[] ): number {
	const dir = path.join( options.dir, 'bridge-front' );
	const servers = bridgeUrls
		.map(
			( url ) =>
				`\t\tserver ${ new URL( url ).host } max_fails=1 fail_timeout=2s;`
		)
		.join( '\n' );
	const site = `
	upstream pulse_sync_bridges {
${ servers }
		keepalive 16;
	}
	server {
		listen 127.0.0.1:${ options.frontPort };
		client_max_body_size 1m;
		# /v1/… for the first site, /sites/<site-id>/v1/… for the others (PULSE_STACK_SITES).
		location ~ ^/(v1|sites)/ {
			proxy_pass http://pulse_sync_bridges;
			proxy_http_version 1.1;
			proxy_set_header Host $host;
			proxy_set_header Connection "";
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			# A bridge that is down refuses the connection: the request goes to the next one
			# (a delivery is stored once per id whichever bridge takes it).
			proxy_next_upstream error timeout non_idempotent;
			proxy_connect_timeout 2s;
			proxy_read_timeout 60s;
			proxy_redirect off;
		}
		location / {
			return 404;
		}
	}
`;
	const config = writeNginxConfig( dir, site, '', {
		errorLog: path.join( options.logDir, 'bridge-front-error.log' ),
		accessLog: path.join( options.logDir, 'bridge-front-access.log' ),
		...( process.getuid?.() === 0 ? { user: 'root' } : {} ),
	} );
	return startDetached( {
		name: 'bridge-front',
		command: 'nginx',
		args: [ '-c', config, '-p', path.dirname( config ) ],
		logFile: path.join( options.logDir, 'bridge-front.log' ),
	} );
}
