/**
 * `npm test`: every suite in one command, a summary line per suite, non-zero on any failure.
 *
 * Order: lint; the release artifacts (`npm run release`); the jest suites that start their own
 * servers (sandbox, bridge, panel); the bridge installed once from its tarball in an empty
 * folder; then, for each WordPress generation (6.1 with React 17, 6.8 with React 18), a real
 * stack in its own state folder for PHPUnit, the end-to-end webhook tests and Playwright (6.1 on
 * nginx + PHP-FPM as production serves it, 6.8 on php -S, so both servers are tested without
 * running every suite twice), on 6.1 a stack of two sites on one bridge and one of three bridges
 * on PostgreSQL for issue 13's tests, and a stack without the plugin (`PULSE_STACK_PLUGIN=none`: no
 * bridge) on which Playwright runs the release journey (the zip uploaded, the installed bridge
 * paired, a CRM tag creates a user, the plugin deleted); each stack is stopped afterwards
 * whatever happened.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildAdminUi } from './build';
import { runLint } from './lint';
import { ROOT } from './paths';
import { release } from './release';
import { installBridgeTarball } from './release/bridge-install';
import { down, up } from './stack';
import { describeServer, type WebServer } from './web-server';
import {
	ensurePackages,
	STACK_PACKAGES,
	TEST_PACKAGES,
} from './system-packages';

interface Outcome {
	suite: string;
	passed: boolean;
	seconds: number;
}

const outcomes: Outcome[] = [];

/** No suite may hang the run: CI gives the whole run 90 minutes. */
const SUITE_TIMEOUT_MS = 20 * 60 * 1000;

function record( suite: string, started: number, passed: boolean ): boolean {
	const seconds = ( Date.now() - started ) / 1000;
	outcomes.push( { suite, passed, seconds } );
	console.log(
		`\n[test] ${ passed ? 'PASS' : 'FAIL' } ${ suite } (${ seconds.toFixed( 1 ) } s)\n`
	);
	return passed;
}

function runSuite(
	suite: string,
	command: string,
	args: string[],
	env: NodeJS.ProcessEnv = {}
): boolean {
	console.log( `\n[test] ${ suite }: ${ command } ${ args.join( ' ' ) }` );
	const started = Date.now();
	const run = spawnSync( command, args, {
		timeout: SUITE_TIMEOUT_MS,
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, ...env },
	} );
	return record( suite, started, run.status === 0 );
}

/** integration/bridge-other-host.test.ts: run as a suite of its own (see onStack below). */
const OTHER_HOST_TEST = 'bridge-other-host\\.test\\.ts$';
/** integration/scale-out.test.ts: needs the three-bridge stack (SCALE_OUT_STACK). */
const SCALE_OUT_TEST = 'scale-out\\.test\\.ts$';
/** integration/imports.test.ts: on the full stack, and again on the SCALE_OUT_STACK. */
const IMPORTS_TEST = 'integration/imports\\.test\\.ts$';
/** integration/two-sites.test.ts: needs the stack of two sites (TWO_SITES_STACK). */
const TWO_SITES_TEST = 'two-sites\\.test\\.ts$';

/**
 * Issue 13 part 1: two WordPress sites on one bridge (SQLite), the second paired through
 * `pulse-sync-bridge pair`, on nginx + PHP-FPM. A stack of its own: the other suites count the
 * stack's users and deliveries as one site's, and this one is up in about 15 s.
 */
const TWO_SITES_STACK: StackKind = {
	name: 'two-sites',
	label: 'two sites on one bridge, ',
	env: { PULSE_STACK_SITES: '2', PULSE_STACK_SERVER: 'nginx' },
};

/**
 * Issue 13's stack: three bridges and two sites on a private PostgreSQL behind one nginx URL,
 * with a short lease so that the SIGKILLed bridge's jobs come back within the test.
 */
const SCALE_OUT_STACK: StackKind = {
	name: 'scale-out',
	label: '3 bridges and 2 sites on PostgreSQL, ',
	env: {
		PULSE_STACK_DB: 'postgres',
		PULSE_STACK_BRIDGES: '3',
		PULSE_STACK_SITES: '2',
		PULSE_SYNC_QUEUE_LEASE: '20s',
	},
};

const bin = ( name: string ) => path.join( ROOT, 'node_modules', '.bin', name );

/** A stack for one WordPress version: the whole one, or WordPress alone without the plugin. */
interface StackKind {
	name: string;
	label: string;
	env: Record< string, string >;
}

const FULL_STACK: StackKind = { name: 'test', label: '', env: {} };

/**
 * The web server of each version's full stack: the integration suites run on 6.1 only, so 6.1
 * gets nginx + PHP-FPM (the lean webhook rule, the separate pool) and 6.8 keeps php -S.
 */
const SERVER_FOR: Record< string, WebServer > = {
	'6.1': 'nginx',
	'6.8': 'php',
};

/**
 * The release journey installs the zip itself and runs the bridge installed from the tarball:
 * MariaDB, mail, WordPress and the CRM sandbox run, no bridge (it needs the plugin).
 */
const BARE_STACK: StackKind = {
	name: 'release-test',
	label: 'without the plugin, ',
	env: { PULSE_STACK_PLUGIN: 'none' },
};

/**
 * `npm install` of the bridge tarball in a new empty folder, once for both WordPress versions
 * (it compiles better-sqlite3); the folder, or undefined when the install failed.
 * @param tarball The bridge's release tarball.
 */
function installBridgeOnce( tarball: string | undefined ): string | undefined {
	const started = Date.now();
	let dir: string | undefined = fs.mkdtempSync(
		path.join( os.tmpdir(), 'pulse-bridge-install-' )
	);
	try {
		if ( tarball === undefined ) {
			throw new Error( 'no bridge tarball was written' );
		}
		installBridgeTarball( tarball, dir );
	} catch ( error ) {
		console.error( `[test] ${ ( error as Error ).message }` );
		fs.rmSync( dir, { recursive: true, force: true } );
		dir = undefined;
	}
	record(
		'bridge release installed from its tarball in an empty folder (npm install)',
		started,
		dir !== undefined
	);
	return dir;
}

async function onStack(
	version: string,
	kind: StackKind,
	suites: ( env: NodeJS.ProcessEnv ) => void
): Promise< void > {
	const dir = path.join( ROOT, `.stack-${ kind.name }-${ version }` );
	const env = {
		PULSE_STACK_DIR: dir,
		WP_VERSION: version,
		PULSE_STACK_FILE: path.join( dir, 'stack.json' ),
		// The bridge's real schedule waits 30 s before the first retry; tests need not.
		PULSE_SYNC_RETRY_SCHEDULE: '2s,5s,10s,30s',
		...kind.env,
	};
	Object.assign( process.env, env );
	const started = Date.now();
	try {
		// Every run starts from a new site: a state folder left by an interrupted run keeps the
		// settings and users its tests made.
		await down();
		fs.rmSync( dir, { recursive: true, force: true } );
		await up();
		record(
			`stack up (${ kind.label }WordPress ${ version })`,
			started,
			true
		);
		suites( env );
	} catch ( error ) {
		console.error( `[test] ${ ( error as Error ).message }` );
		record(
			`stack up (${ kind.label }WordPress ${ version })`,
			started,
			false
		);
	} finally {
		await down();
		for ( const key of Object.keys( env ) ) {
			delete process.env[ key ];
		}
	}
}

/**
 * The suites on real stacks: per WordPress version, the full stack, then the release journey on a
 * stack without the plugin.
 * @param zip           The plugin zip (undefined when the release failed).
 * @param bridgeInstall The folder the bridge tarball was installed into (likewise).
 */
async function runStackSuites(
	zip: string | undefined,
	bridgeInstall: string | undefined
): Promise< void > {
	for ( const version of [ '6.1', '6.8' ] ) {
		const fullStack: StackKind = {
			...FULL_STACK,
			label: `${ describeServer( SERVER_FOR[ version ] ?? 'php' ) }, `,
			env: { PULSE_STACK_SERVER: SERVER_FOR[ version ] ?? 'php' },
		};
		await onStack( version, fullStack, ( env ) => {
			runSuite(
				`plugin (PHPUnit, WordPress ${ version })`,
				'phpunit',
				[ '-c', 'plugin/phpunit.xml.dist' ],
				env
			);
			if ( version === '6.1' ) {
				runSuite(
					'webhooks end to end (jest, real stack)',
					bin( 'jest' ),
					[
						'-c',
						'integration/jest.config.js',
						'--runInBand',
						'--testPathIgnorePatterns',
						OTHER_HOST_TEST,
						SCALE_OUT_TEST,
						TWO_SITES_TEST,
					],
					env
				);
				// Its own line in the summary: it needs root and `ip netns` (CI has both) and
				// says so when it is skipped.
				runSuite(
					'bridge on another host behind TLS (jest, network namespace)',
					bin( 'jest' ),
					[
						'-c',
						'integration/jest.config.js',
						'--runInBand',
						'--testPathPatterns',
						OTHER_HOST_TEST,
					],
					env
				);
			}
			runSuite(
				`panel (Playwright, WordPress ${ version })`,
				bin( 'playwright' ),
				[ 'test', '-c', 'e2e/playwright.config.ts' ],
				env
			);
		} );
		if ( version === '6.1' ) {
			await onStack( version, TWO_SITES_STACK, ( env ) => {
				runSuite(
					'two sites on one bridge: own users, own delivery logs, a storm on one leaves the other answered (jest, real stack)',
					bin( 'jest' ),
					[
						'-c',
						'integration/jest.config.js',
						'--runInBand',
						'--testPathPatterns',
						TWO_SITES_TEST,
					],
					env
				);
			} );
			await onStack( version, SCALE_OUT_STACK, ( env ) => {
				runSuite(
					'several bridges on PostgreSQL: storm, kill, restart, token expiry (jest, real stack)',
					bin( 'jest' ),
					[
						'-c',
						'integration/jest.config.js',
						'--runInBand',
						'--testPathPatterns',
						SCALE_OUT_TEST,
					],
					env
				);
				runSuite(
					'import by tag on several bridges on PostgreSQL: two of three SIGKILLed mid-import (jest, real stack)',
					bin( 'jest' ),
					[
						'-c',
						'integration/jest.config.js',
						'--runInBand',
						'--testPathPatterns',
						IMPORTS_TEST,
					],
					env
				);
			} );
		}
		if ( zip !== undefined && bridgeInstall !== undefined ) {
			await onStack( version, BARE_STACK, ( env ) => {
				runSuite(
					`release journey: zip uploaded in wp-admin, bridge from its tarball paired, a CRM tag creates the user (Playwright, WordPress ${ version })`,
					bin( 'playwright' ),
					[ 'test', '-c', 'e2e/release.config.ts' ],
					{
						...env,
						PULSE_RELEASE_ZIP: zip,
						PULSE_RELEASE_BRIDGE_INSTALL: bridgeInstall,
					}
				);
			} );
		} else {
			record(
				`release journey (WordPress ${ version }): no zip or no installed bridge`,
				Date.now(),
				false
			);
		}
	}
}

export async function runTests(): Promise< number > {
	ensurePackages( [ ...STACK_PACKAGES, ...TEST_PACKAGES ] );
	const lintStarted = Date.now();
	record( 'lint', lintStarted, runLint() );

	const buildStarted = Date.now();
	let built = true;
	try {
		buildAdminUi();
	} catch {
		built = false;
	}
	record( 'admin-ui build', buildStarted, built );

	const releaseStarted = Date.now();
	let zip: string | undefined;
	let tarball: string | undefined;
	try {
		[ zip, tarball ] = release( { buildPanel: false } );
	} catch ( error ) {
		console.error( `[test] ${ ( error as Error ).message }` );
	}
	record( 'release (npm run release)', releaseStarted, zip !== undefined );
	runSuite( 'contracts (jest)', bin( 'jest' ), [
		'-c',
		'contracts/jest.config.js',
	] );
	runSuite( 'crm-sandbox (jest)', bin( 'jest' ), [
		'-c',
		'crm-sandbox/jest.config.js',
	] );
	runSuite( 'bridge (jest)', bin( 'jest' ), [
		'-c',
		'bridge/jest.config.js',
	] );
	runSuite( 'admin-ui (jest)', 'npm', [
		'test',
		'-w',
		'admin-ui',
		'--silent',
	] );
	runSuite( 'dev (jest)', bin( 'jest' ), [ '-c', 'dev/jest.config.js' ] );
	runSuite( 'bench harness (jest)', bin( 'jest' ), [
		'-c',
		'bench/jest.config.js',
	] );

	const bridgeInstall = installBridgeOnce( tarball );
	try {
		await runStackSuites( zip, bridgeInstall );
	} finally {
		if ( bridgeInstall !== undefined ) {
			fs.rmSync( bridgeInstall, { recursive: true, force: true } );
		}
	}

	const failed = outcomes.filter( ( outcome ) => ! outcome.passed );
	console.log( '\n[test] summary' );
	for ( const outcome of outcomes ) {
		console.log(
			`  ${ outcome.passed ? 'PASS' : 'FAIL' }  ${ outcome.suite }  (${ outcome.seconds.toFixed( 1 ) } s)`
		);
	}
	console.log(
		`\nsuites: ${ outcomes.length - failed.length } passed, ${ failed.length } failed`
	);
	return failed.length === 0 ? 0 : 1;
}
