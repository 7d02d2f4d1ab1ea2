/**
 * How each long-running service of the stack is started. Kept apart from stack.ts so that the
 * order of bringing things up reads in one place and the command lines in another.
 */
import path from 'node:path';
import { ROOT } from './paths';
import { startDetached } from './processes';

const TSX = path.join( ROOT, 'node_modules', '.bin', 'tsx' );

/** `php -S` answers one request per worker; WordPress calls itself (cron, REST), so never one. */
const PHP_WORKERS = process.env.PULSE_STACK_PHP_WORKERS ?? '4';

export function startPhpServer(
	wpDir: string,
	port: number,
	logDir: string,
	logName = 'php-server.log'
): number {
	const logFile = path.join( logDir, logName );
	return startDetached( {
		name: 'php',
		command: TSX,
		args: [
			path.join( ROOT, 'dev', 'src', 'redacting-log.ts' ),
			logFile,
			'php',
			'-d',
			'opcache.enable=1',
			'-d',
			'opcache.enable_cli=1',
			'-d',
			'opcache.validate_timestamps=1',
			'-d',
			'opcache.revalidate_freq=0',
			'-d',
			'memory_limit=256M',
			'-d',
			'display_errors=0',
			'-d',
			'log_errors=1',
			'-d',
			`error_log=${ path.join( logDir, 'php-errors.log' ) }`,
			'-d',
			'max_execution_time=60',
			'-S',
			`127.0.0.1:${ port }`,
			'-t',
			wpDir,
			path.join( ROOT, 'dev', 'php', 'router.php' ),
		],
		env: { PHP_CLI_SERVER_WORKERS: PHP_WORKERS },
		logFile,
	} );
}

export function startSmtpSink(
	port: number,
	mailDir: string,
	logDir: string
): number {
	return startDetached( {
		name: 'smtp',
		command: TSX,
		args: [
			path.join( ROOT, 'dev', 'src', 'smtp-sink.ts' ),
			String( port ),
			mailDir,
		],
		logFile: path.join( logDir, 'smtp-sink.log' ),
	} );
}

export function startCrmSandbox(
	port: number,
	dir: string,
	logDir: string
): number {
	return startDetached( {
		name: 'crm-sandbox',
		command: TSX,
		args: [ path.join( ROOT, 'crm-sandbox', 'src', 'main.ts' ) ],
		// The CRM keeps its contacts across restarts, as WordPress keeps the users linked to them.
		env: {
			PORT: String( port ),
			HOST: '127.0.0.1',
			CRM_SANDBOX_STATE: path.join( dir, 'crm-sandbox.json' ),
		},
		logFile: path.join( logDir, 'crm-sandbox.log' ),
	} );
}

export interface BridgeEnv {
	port: number;
	siteUrl: string;
	secret: string;
	dbFile: string;
	/** A shared PostgreSQL database (bridge-fleet.ts), instead of the SQLite file. */
	databaseUrl?: string;
	/** Its name in the logs folder, when several run (default `bridge`). */
	name?: string;
}

/**
 * The published command (package `@pulse-sync/bridge`, bin `dist/cli.js`) in this checkout,
 * compiled by buildBridge() (build.ts) before anything runs it.
 */
export const BRIDGE_BIN = path.join( ROOT, 'bridge', 'dist', 'cli.js' );

/**
 * How the bridge command is run, here, by the stack's pairing and wp-env's bridge, and by tests
 * that start one elsewhere (integration/bridge-other-host.test.ts): the bin itself, as an owner
 * runs it, so node gets the flags of its #! line (bridge/src/cli.ts; `node dist/cli.js` would
 * run without them).
 * @param args The command's arguments (`start`, `pair …`).
 */
export function bridgeCommand( ...args: string[] ): {
	command: string;
	args: string[];
} {
	return { command: BRIDGE_BIN, args };
}

export function startBridge( env: BridgeEnv, logDir: string ): number {
	const name = env.name ?? 'bridge';
	return startDetached( {
		name,
		...bridgeCommand( 'start' ),
		env: {
			PULSE_SYNC_BRIDGE_HOST: '127.0.0.1',
			PULSE_SYNC_BRIDGE_PORT: String( env.port ),
			PULSE_SYNC_SITE_URL: env.siteUrl,
			PULSE_SYNC_BRIDGE_SECRET: env.secret,
			PULSE_SYNC_BRIDGE_DB: env.dbFile,
			// The stack's own folder, never the machine's /var/lib/pulse-sync-bridge/config.json.
			PULSE_SYNC_DATA_DIR: path.dirname( env.dbFile ),
			...( env.databaseUrl !== undefined && {
				PULSE_SYNC_DATABASE_URL: env.databaseUrl,
			} ),
		},
		logFile: path.join( logDir, `${ name }.log` ),
	} );
}
