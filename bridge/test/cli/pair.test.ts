/**
 * `pulse-sync-bridge pair` against a stand-in of the plugin's exchange, and a running bridge
 * that picks the pairing up from config.json without a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/run';
import { captureOutput } from '../support/capture-output';
import { resolveConfig } from '../../src/config/resolve';
import { configFilePath } from '../../src/config/file';
import { startBridge, type RunningBridge } from '../../src/index';
import { silentLogger } from '../../src/log';
import { FakePairingSite } from '../support/fake-pairing-site';
import { bridgeCaller } from '../support/signed-fetch';
import { waitFor } from '../support/wait-for';

/** The permission bits, e.g. "600". */
function fileMode( file: string ): string {
	return ( fs.statSync( file ).mode % 0o1000 ).toString( 8 );
}

describe( 'pulse-sync-bridge pair', () => {
	let site: FakePairingSite;
	let dataDir: string;
	let bridge: RunningBridge | null = null;

	beforeEach( async () => {
		site = new FakePairingSite();
		await site.start();
		dataDir = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-pair-' ) );
	} );

	afterEach( async () => {
		await bridge?.close();
		bridge = null;
		await site.close();
		fs.rmSync( dataDir, { recursive: true, force: true } );
	} );

	const pair = (
		code: string,
		out = captureOutput(),
		extra: string[] = []
	) =>
		runCli(
			[
				'pair',
				site.url,
				'--code',
				code,
				'--data-dir',
				dataDir,
				'--public-url',
				'https://bridge.example/pulse',
				...extra,
			],
			out
		);
	const stored = () =>
		JSON.parse( fs.readFileSync( configFilePath( dataDir ), 'utf8' ) );

	it( 'stores the secret in config.json with mode 0600, never prints it, and tells the site its URL', async () => {
		const out = captureOutput();
		expect( await pair( site.issueCode(), out ) ).toBe( 0 );
		const file = configFilePath( dataDir );
		expect( fileMode( file ) ).toBe( '600' );
		expect( stored() ).toEqual( {
			siteUrl: site.url,
			secret: site.secret,
		} );
		expect( out.text() ).not.toContain( site.secret );
		expect( out.text() ).toContain( file );
		expect( site.exchanges ).toEqual( [
			{
				code: expect.any( String ),
				bridge_url: 'https://bridge.example/pulse',
				bridge_version: expect.stringMatching( /^\d+\.\d+\.\d+/ ),
			},
		] );
	} );

	it( 'keeps the previous secret and its overlap on a re-pair, and other keys of config.json', async () => {
		expect( await pair( site.issueCode() ) ).toBe( 0 );
		const first = site.secret;
		fs.writeFileSync(
			configFilePath( dataDir ),
			JSON.stringify( { ...stored(), workers: 2 } )
		);
		expect( await pair( site.issueCode() ) ).toBe( 0 );
		expect( stored() ).toEqual( {
			siteUrl: site.url,
			secret: site.secret,
			previousSecret: first,
			previousSecretUntil: expect.any( String ),
			workers: 2,
		} );
		expect( site.secret ).not.toBe( first );
		expect( fileMode( configFilePath( dataDir ) ) ).toBe( '600' );
	} );

	it( 'refuses a used code with exit 1 and leaves config.json alone', async () => {
		const code = site.issueCode();
		expect( await pair( code ) ).toBe( 0 );
		const before = fs.readFileSync( configFilePath( dataDir ), 'utf8' );
		const out = captureOutput();
		expect( await pair( code, out ) ).toBe( 1 );
		expect( out.text() ).toMatch( /unknown, expired or used already/ );
		expect( fs.readFileSync( configFilePath( dataDir ), 'utf8' ) ).toBe(
			before
		);
	} );

	it( 'does not follow a redirect with the pairing code (exit 1, nothing stored)', async () => {
		const elsewhere = new FakePairingSite();
		await elsewhere.start();
		site.override = {
			status: 307,
			headers: {
				location: `${ elsewhere.url }/wp-json/pulse-sync/v1/pairing/exchange`,
			},
		};
		try {
			expect( await pair( elsewhere.issueCode() ) ).toBe( 1 );
			expect( elsewhere.exchanges ).toEqual( [] );
			expect( fs.existsSync( configFilePath( dataDir ) ) ).toBe( false );
		} finally {
			await elsewhere.close();
		}
	} );

	it( 'answers usage errors with exit 2', async () => {
		const out = captureOutput();
		expect(
			await runCli( [ 'pair', site.url, '--data-dir', dataDir ], out )
		).toBe( 2 );
		expect(
			await runCli( [ 'pair', 'ftp://x', '--code', 'A' ], out )
		).toBe( 2 );
		expect( await runCli( [ 'pair', '--cod', 'A' ], out ) ).toBe( 2 );
	} );

	it( 'a running bridge takes a pairing and a re-pair from config.json without a restart', async () => {
		const load = () =>
			resolveConfig( {
				flags: { 'data-dir': dataDir, port: '0' },
				env: {},
				requireSite: false,
			} );
		bridge = await startBridge( load(), {
			logger: silentLogger,
			reload: { file: configFilePath( dataDir ), load },
		} );
		const ready = async () =>
			( await fetch( `${ bridge?.url }/v1/ready` ) ).status;
		const signedStatus = async ( secret: string ) =>
			(
				await bridgeCaller( bridge?.url as string, secret )(
					'GET',
					'/v1/deliveries?per_page=1'
				)
			).status;
		expect( await ready() ).toBe( 503 );

		expect( await pair( site.issueCode() ) ).toBe( 0 );
		const first = site.secret as string;
		await waitFor( async () => ( await ready() ) === 200 );
		expect( await signedStatus( first ) ).toBe( 200 );

		expect( await pair( site.issueCode() ) ).toBe( 0 );
		const second = site.secret as string;
		await waitFor( async () => ( await signedStatus( second ) ) === 200 );
		// The overlap: requests the site signed just before the rotation still pass.
		expect( await signedStatus( first ) ).toBe( 200 );
		const health = await (
			await fetch( `${ bridge.url }/v1/health` )
		).text();
		expect( health ).not.toContain( second );
		expect( health ).not.toContain( site.url );
	}, 20_000 );
} );
