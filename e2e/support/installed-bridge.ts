/**
 * The bridge as an owner runs it from its release tarball: the folder the tarball was installed
 * into (dev/src/release/bridge-install.ts), the command run there with the installed `npx`, and
 * `npx pulse-sync-bridge start` as a process of its own. `npm test` installs the tarball once and
 * names the folder in `PULSE_RELEASE_BRIDGE_INSTALL`; without it the tarball
 * (`PULSE_RELEASE_BRIDGE`, else the one `npm run release` writes) is installed into a new folder.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { releaseDir } from '../../dev/src/release';
import {
	bridgeTarballPath,
	installBridgeTarball,
	ownerEnv,
} from '../../dev/src/release/bridge-install';
import { sourceVersion } from '../../dev/src/release/version';
import { waitUntil } from '../../dev/src/wait';

/** The package's folder inside an install folder. */
export function packageDir( installDir: string ): string {
	return path.join( installDir, 'node_modules', '@pulse-sync', 'bridge' );
}

/**
 * The install folder to use: `PULSE_RELEASE_BRIDGE_INSTALL`, or a new one below `workDir` that
 * the tarball is installed into now (up to BRIDGE_INSTALL_TIMEOUT_MS).
 * @param workDir Where a new install folder goes.
 */
export function installedBridgeDir( workDir: string ): string {
	const given = process.env.PULSE_RELEASE_BRIDGE_INSTALL;
	if ( given !== undefined && given !== '' ) {
		return given;
	}
	const dir = path.join( workDir, 'install' );
	installBridgeTarball(
		process.env.PULSE_RELEASE_BRIDGE ??
			bridgeTarballPath( sourceVersion(), releaseDir() ),
		dir
	);
	return dir;
}

/** Every file below `dir`, as paths relative to it. */
export function listFiles( dir: string, prefix = '' ): string[] {
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

export interface CommandResult {
	status: number | null;
	out: string;
}

/**
 * One installed bridge of the owner's: its install folder, its own data folder and a loopback
 * port, given to every command as the owner's environment would (`PULSE_SYNC_DATA_DIR`,
 * `PULSE_SYNC_BRIDGE_PORT`), so the commands the panel shows run as shown. `start` listens on
 * any free port (`0`) and the port it logs is the one every later command gets: a port picked
 * beforehand can be taken by another process of this shared machine before the bridge listens.
 */
export class InstalledBridge {
	readonly dataDir: string;
	private process: ChildProcess | null = null;
	private output = '';
	/** The port it listens on, once started ('0' before: any free one). */
	private port = '0';

	constructor(
		readonly installDir: string,
		workDir: string
	) {
		this.dataDir = path.join( workDir, 'data' );
	}

	/** The URL the site reaches it at (the default `--public-url` for its port). */
	get url(): string {
		return `http://127.0.0.1:${ this.port }`;
	}

	/** What the running bridge wrote to stdout and stderr so far. */
	get log(): string {
		return this.output;
	}

	private env(): NodeJS.ProcessEnv {
		return ownerEnv( {
			PULSE_SYNC_DATA_DIR: this.dataDir,
			PULSE_SYNC_BRIDGE_PORT: this.port,
			// A short retry schedule, as the stack's own bridge has in tests.
			PULSE_SYNC_RETRY_SCHEDULE: '2s,5s,10s',
			// `npx` never fetches a package of that name from the registry: the installed one runs.
			npm_config_yes: 'false',
		} );
	}

	/**
	 * A command line as the owner types it in the install folder (`npx pulse-sync-bridge …`),
	 * run by the shell.
	 * @param command The whole command line.
	 */
	run( command: string ): CommandResult {
		const run = spawnSync( command, {
			cwd: this.installDir,
			env: this.env(),
			shell: true,
			encoding: 'utf8',
			timeout: 60_000,
		} );
		return { status: run.status, out: `${ run.stdout }${ run.stderr }` };
	}

	/** `npx pulse-sync-bridge <args>` from the install folder. */
	command( args: string[] ): CommandResult {
		return this.run( [ 'npx', 'pulse-sync-bridge', ...args ].join( ' ' ) );
	}

	/** `npx pulse-sync-bridge start`, until it says where it listens and answers there. */
	async start(): Promise< void > {
		this.process = spawn( 'npx', [ 'pulse-sync-bridge', 'start' ], {
			cwd: this.installDir,
			env: this.env(),
			stdio: [ 'ignore', 'pipe', 'pipe' ],
			// Its own process group: a signal reaches npx and the bridge under it alike.
			detached: true,
		} );
		const collect = ( chunk: Buffer ) => ( this.output += chunk );
		this.process.stdout?.on( 'data', collect );
		this.process.stderr?.on( 'data', collect );
		await waitUntil(
			'the installed bridge to start',
			() => {
				const started =
					/"event":"bridge\.started","url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(
						this.output
					);
				this.port = started?.[ 1 ] ?? '0';
				return this.port !== '0';
			},
			60_000
		);
		await waitUntil(
			'the installed bridge to answer',
			async () => ( await this.readyStatus() ) !== 0,
			60_000
		);
	}

	/** The status of `GET /v1/ready`; 0 when nothing answers. */
	async readyStatus(): Promise< number > {
		try {
			return ( await fetch( `${ this.url }/v1/ready` ) ).status;
		} catch {
			return 0;
		}
	}

	/**
	 * SIGTERM to the process group, resolved once its output has closed (the bridge stopped, not
	 * only npx). The exit code of the command itself is pinned by bridge/test/shutdown.test.ts.
	 */
	async stop(): Promise< void > {
		const running = this.process;
		if ( running?.pid === undefined || running.exitCode !== null ) {
			return;
		}
		const closed = new Promise( ( resolve ) =>
			running.stdout?.once( 'close', resolve )
		);
		process.kill( -running.pid, 'SIGTERM' );
		await closed;
	}

	/** SIGKILL to whatever is left of it (after a failed test). */
	kill(): void {
		if ( this.process?.pid === undefined ) {
			return;
		}
		try {
			process.kill( -this.process.pid, 'SIGKILL' );
		} catch {
			// Stopped already.
		}
	}
}

/** A new folder for one journey's bridge (install folder when needed, data folder). */
export function newWorkDir(): string {
	return fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-bridge-release-' ) );
}
