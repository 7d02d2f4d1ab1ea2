/**
 * `pulse-sync-bridge status` and `doctor` against a running bridge, the stand-in plugin and the
 * real CRM sandbox: each check, its fix, and the exit code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/run';
import { captureOutput } from '../support/capture-output';
import { freshDatabase } from '../support/postgres';
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

describe( 'pulse-sync-bridge status and doctor with --database', () => {
	let stack: TestStack;
	let bridge: RunningBridge;
	let databaseUrl: string;

	beforeAll( async () => {
		databaseUrl = await freshDatabase();
		stack = await startStack( { databaseUrl } );
		bridge = await startBridge( stack.config, { logger: silentLogger } );
		writeConfigFile( stack.dir, {
			siteUrl: stack.wordpress.url,
			secret: TEST_SECRET,
			port: new URL( bridge.url ).port,
		} );
	} );

	afterAll( async () => {
		await bridge.close();
		await stack.close();
	} );

	const run = async ( command: string, database: string ) => {
		const out = captureOutput();
		const code = await runCli(
			[ command, '--data-dir', stack.dir, '--database', database ],
			out
		);
		return { code, text: out.text() };
	};

	it( 'checks the PostgreSQL connection, schema, tokens and queue instead of the SQLite file', async () => {
		await connectCrm( bridge, stack );
		const { code, text } = await run( 'doctor', databaseUrl );
		const where = databaseUrl.replace(
			/^postgres:\/\/[^@]*@/,
			'postgres://'
		);
		expect( text ).toContain( `[ok]   database reachable: ${ where } as ` );
		expect( text ).toMatch(
			/\[ok\] +schema: pulse_sync schema version \d+/
		);
		expect( text ).toMatch(
			/\[ok\] +CRM connected: http:\/\/127\.0\.0\.1/
		);
		expect( text ).toMatch(
			/\[ok\] +queue: 0 waiting, 0 running, 0 failed/
		);
		expect( fs.existsSync( stack.config.dbPath ) ).toBe( false );
		expect( code ).toBe( 0 );
	} );

	it( 'says a database no bridge has started on has no schema yet, and leaves it without one', async () => {
		const empty = await freshDatabase();
		const { code, text } = await run( 'doctor', empty );
		expect( code ).toBe( 1 );
		expect( text ).toMatch( /\[ok\] +database reachable/ );
		expect( text ).toMatch( /\[FAIL\] schema: no Pulse Sync schema in / );
		expect( text ).toMatch(
			/\[FAIL\] queue: not checked: no Pulse Sync schema/
		);
		expect( ( await run( 'doctor', empty ) ).text ).toMatch(
			/\[FAIL\] schema: no Pulse Sync schema/
		);
	} );

	it( 'names PGPASSWORD and ~/.pgpass when the database refuses the connection', async () => {
		const missing = databaseUrl.replace( /\/[^/]*$/, '/no_such_database' );
		const { code, text } = await run( 'doctor', missing );
		expect( code ).toBe( 1 );
		expect( text ).toMatch(
			/\[FAIL\] database reachable: postgres:\/\/.*no_such_database: /
		);
		expect( text ).toMatch( /fix: .*PGPASSWORD or ~\/\.pgpass/ );
		expect( text ).toMatch(
			/\[FAIL\] queue: not checked: the database did not answer/
		);
	} );
} );
