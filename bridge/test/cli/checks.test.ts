/**
 * `pulse-sync-bridge status` and `doctor` against a running bridge, the stand-in plugin and the
 * real CRM sandbox: each check, its fix, and the exit code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/run';
import { captureOutput } from '../support/capture-output';
import { writeConfigFile } from '../../src/config/file';
import { silentLogger } from '../../src/log';
import {
	connectCrm,
	startBridge,
	startStack,
	TEST_SECRET,
	type TestStack,
} from '../support/stack';
import type { RunningBridge } from '../../src/index';

describe( 'pulse-sync-bridge status and doctor', () => {
	let stack: TestStack;
	let bridge: RunningBridge;
	let port: string;

	beforeAll( async () => {
		stack = await startStack();
		bridge = await startBridge( stack.config, { logger: silentLogger } );
		port = new URL( bridge.url ).port;
		writeConfigFile( stack.dir, {
			siteUrl: stack.wordpress.url,
			secret: TEST_SECRET,
			port,
		} );
	} );

	afterAll( async () => {
		await bridge.close();
		await stack.close();
	} );

	const run = async ( command: string, dataDir = stack.dir ) => {
		const out = captureOutput();
		const code = await runCli( [ command, '--data-dir', dataDir ], out );
		return { code, text: out.text() };
	};

	it( 'doctor names the CRM connection as the one thing to fix before it is connected', async () => {
		const { code, text } = await run( 'doctor' );
		expect( code ).toBe( 1 );
		expect( text ).toMatch( /\[ok\] +paired: with http:\/\/127\.0\.0\.1/ );
		expect( text ).toMatch( /\[ok\] +bridge running/ );
		expect( text ).toMatch( /\[ok\] +site reachable/ );
		expect( text ).toMatch( /\[ok\] +signature accepted/ );
		expect( text ).toMatch( /\[FAIL\] CRM connected: no usable tokens/ );
		expect( text ).toMatch( /fix: .*Pulse Sync » CRM connection/ );
		expect( text ).toMatch(
			/\[ok\] +queue: 0 waiting, 0 running, 0 failed/
		);
		expect( text ).not.toContain( TEST_SECRET );
	} );

	it( 'status says yes to every check once the CRM is connected, and exits 0', async () => {
		await connectCrm( bridge, stack );
		const { code, text } = await run( 'status' );
		expect( text ).toMatch( /^site reachable: yes/m );
		expect( text ).toMatch( /^signature accepted: yes/m );
		expect( text ).toMatch( /^CRM connected: yes/m );
		expect( text ).toMatch( /^queue: yes \(0 waiting/m );
		expect( code ).toBe( 0 );
	} );

	it( 'tells a bridge whose secret the site does not know to pair again', async () => {
		const dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-doctor-' ) );
		try {
			writeConfigFile( dir, {
				siteUrl: stack.wordpress.url,
				secret: `whsec_${ Buffer.alloc( 32, 3 ).toString( 'base64' ) }`,
				port,
			} );
			const { code, text } = await run( 'doctor', dir );
			expect( code ).toBe( 1 );
			expect( text ).toMatch( /\[ok\] +site reachable/ );
			expect( text ).toMatch( /\[FAIL\] signature accepted/ );
			expect( text ).toMatch(
				/fix: the site has another bridge secret: pair again/
			);
		} finally {
			fs.rmSync( dir, { recursive: true, force: true } );
		}
	} );

	it( 'tells an unpaired bridge how to pair', async () => {
		const dir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-doctor-' ) );
		try {
			const { code, text } = await run( 'doctor', dir );
			expect( code ).toBe( 1 );
			expect( text ).toMatch( /\[FAIL\] paired/ );
			expect( text ).toContain(
				'pulse-sync-bridge pair <site-url> --code CODE'
			);
			expect( text ).toMatch( /\[FAIL\] queue: no database/ );
		} finally {
			fs.rmSync( dir, { recursive: true, force: true } );
		}
	} );
} );
