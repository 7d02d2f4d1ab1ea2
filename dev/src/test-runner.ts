/**
 * `npm test`: every suite in one command, a summary line per suite, non-zero on any failure.
 *
 * Order: lint; the jest suites that start their own servers (sandbox, bridge, panel); then, for
 * each WordPress generation (6.1 with React 17, 6.8 with React 18), a real stack in its own state
 * folder for PHPUnit, the end-to-end webhook tests and Playwright, stopped afterwards whatever
 * happened.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildAdminUi } from './build';
import { runLint } from './lint';
import { ROOT } from './paths';
import { down, up } from './stack';
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

const RELEASE_BRIDGE_TEST = 'integration/release-bridge.test.ts';

const bin = ( name: string ) => path.join( ROOT, 'node_modules', '.bin', name );

async function onStack(
	version: string,
	suites: ( env: NodeJS.ProcessEnv ) => void
): Promise< void > {
	const dir = path.join( ROOT, `.stack-test-${ version }` );
	const env = {
		PULSE_STACK_DIR: dir,
		WP_VERSION: version,
		PULSE_STACK_FILE: path.join( dir, 'stack.json' ),
		// The bridge's real schedule waits 30 s before the first retry; tests need not.
		PULSE_SYNC_RETRY_SCHEDULE: '2s,5s,10s,30s',
	};
	Object.assign( process.env, env );
	const started = Date.now();
	try {
		// Every run starts from a new site: a state folder left by an interrupted run keeps the
		// settings and users its tests made.
		await down();
		fs.rmSync( dir, { recursive: true, force: true } );
		await up();
		record( `stack up (WordPress ${ version })`, started, true );
		suites( env );
	} catch ( error ) {
		console.error( `[test] ${ ( error as Error ).message }` );
		record( `stack up (WordPress ${ version })`, started, false );
	} finally {
		await down();
		for ( const key of Object.keys( env ) ) {
			delete process.env[ key ];
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

	for ( const version of [ '6.1', '6.8' ] ) {
		await onStack( version, ( env ) => {
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
						RELEASE_BRIDGE_TEST,
					],
					env
				);
				// Last on this stack: it pairs the site with the installed bridge for a while.
				runSuite(
					'bridge release (tarball installed in an empty folder, paired, real stack)',
					bin( 'jest' ),
					[
						'-c',
						'integration/jest.config.js',
						'--runInBand',
						RELEASE_BRIDGE_TEST,
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
