/**
 * `pair` of a further site, `sites` and `unpair`, on both stores: the registry in config.json
 * (SQLite) and in the shared database (PostgreSQL), with running bridges that follow it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runCli } from '../../src/cli/run';
import { configFilePath } from '../../src/config/file';
import { resolveConfig } from '../../src/config/resolve';
import { startBridge, type RunningBridge } from '../../src/index';
import { silentLogger } from '../../src/log';
import { siteSchemas } from '../../src/site-schemas';
import { openSiteRegistry } from '../../src/sites/open-registry';
import type { SiteEntry } from '../../src/sites/registry';
import { siteDbPath } from '../../src/sites/site-context';
import { captureOutput } from '../support/capture-output';
import { FakePairingSite } from '../support/fake-pairing-site';
import { freshDatabase } from '../support/postgres';
import { bridgeCaller } from '../support/signed-fetch';
import { waitFor } from '../support/wait-for';

const PUBLIC_URL = 'https://bridge.example/pulse';

describe.each( [ 'SQLite', 'PostgreSQL' ] )(
	'the site registry on %s',
	( engine ) => {
		let first: FakePairingSite;
		let further: FakePairingSite;
		let dataDir: string;
		let databaseFlags: string[];
		const bridges: RunningBridge[] = [];

		beforeEach( async () => {
			first = new FakePairingSite();
			further = new FakePairingSite();
			await first.start();
			await further.start();
			dataDir = fs.mkdtempSync(
				path.join( os.tmpdir(), 'pulse-sites-' )
			);
			databaseFlags =
				engine === 'PostgreSQL'
					? [ '--database', await freshDatabase() ]
					: [];
		} );

		afterEach( async () => {
			for ( const bridge of bridges.splice( 0 ) ) {
				await bridge.close();
			}
			await first.close();
			await further.close();
			fs.rmSync( dataDir, { recursive: true, force: true } );
		} );

		const cli = ( args: string[], out = captureOutput(), dir = dataDir ) =>
			runCli(
				[
					...args,
					'--data-dir',
					dir,
					'--public-url',
					PUBLIC_URL,
					...databaseFlags,
				],
				out
			);
		const pair = ( site: FakePairingSite, out = captureOutput() ) =>
			cli( [ 'pair', site.url, '--code', site.issueCode() ], out );
		const flags = ( dir: string ) => ( {
			'data-dir': dir,
			port: '0',
			...( databaseFlags.length > 0 && { database: databaseFlags[ 1 ] } ),
		} );
		const config = ( dir = dataDir ) =>
			resolveConfig( {
				flags: flags( dir ),
				env: {},
				requireSite: false,
			} );
		const registered = async (): Promise< SiteEntry[] > => {
			const registry = await openSiteRegistry( config() );
			try {
				return await registry.list();
			} finally {
				await registry.close();
			}
		};
		const runBridge = async ( dir = dataDir ): Promise< RunningBridge > => {
			const load = () => config( dir );
			const bridge = await startBridge( load(), {
				logger: silentLogger,
				reload: { file: configFilePath( dir ), load },
			} );
			bridges.push( bridge );
			return bridge;
		};
		const serves = async ( bridge: RunningBridge, id: string ) =>
			( await fetch( `${ bridge.url }/sites/${ id }/v1/health` ) )
				.status === 200;
		const siteDataExists = async ( id: string ): Promise< boolean > => {
			if ( engine === 'SQLite' ) {
				return fs.existsSync( siteDbPath( config(), id ) );
			}
			const client = new pg.Client( databaseFlags[ 1 ] );
			await client.connect();
			try {
				const { rows } = await client.query(
					'SELECT schema_name FROM information_schema.schemata WHERE schema_name = ANY($1)',
					[ Object.values( siteSchemas( id ) ) ]
				);
				return rows.length > 0;
			} finally {
				await client.end();
			}
		};

		it( 'pairs a further site into the registry under /sites/<id>, keeps the first one at the top level, and re-pairs with the previous secret', async () => {
			expect( await pair( first ) ).toBe( 0 );
			const out = captureOutput();
			expect( await pair( further, out ) ).toBe( 0 );
			const [ entry ] = await registered();
			expect( entry ).toMatchObject( {
				siteUrl: further.url,
				secrets: [ further.secret ],
			} );
			const id = ( entry as SiteEntry ).id;
			expect( further.exchanges.at( -1 )?.bridge_url ).toBe(
				`${ PUBLIC_URL }/sites/${ id }`
			);
			expect( out.text() ).not.toContain( further.secret );
			expect(
				JSON.parse(
					fs.readFileSync( configFilePath( dataDir ), 'utf8' )
				)
			).toMatchObject( { siteUrl: first.url, secret: first.secret } );

			const before = further.secret as string;
			expect( await pair( further ) ).toBe( 0 );
			expect( await registered() ).toEqual( [
				expect.objectContaining( {
					id,
					secrets: [ further.secret, before ],
					previousSecretUntil: expect.any( Number ),
				} ),
			] );
		} );

		it( 'lists the sites without their secrets', async () => {
			expect( await pair( first ) ).toBe( 0 );
			expect( await pair( further ) ).toBe( 0 );
			const out = captureOutput();
			expect( await cli( [ 'sites' ], out ) ).toBe( 0 );
			const [ entry ] = await registered();
			expect( out.text() ).toContain( `default  ${ first.url }` );
			expect( out.text() ).toContain(
				`${ entry?.id }  ${ further.url }  ${ PUBLIC_URL }/sites/${ entry?.id }`
			);
			expect( out.text() ).not.toContain( first.secret );
			expect( out.text() ).not.toContain( further.secret );
		} );

		it( 'a running bridge serves a site paired while it runs and drops it with its data on unpair', async () => {
			expect( await pair( first ) ).toBe( 0 );
			const bridge = await runBridge();
			expect( await pair( further ) ).toBe( 0 );
			const id = ( ( await registered() )[ 0 ] as SiteEntry ).id;
			await waitFor( () => serves( bridge, id ) );
			const signed = await bridgeCaller(
				`${ bridge.url }/sites/${ id }`,
				further.secret as string
			)( 'GET', '/v1/deliveries?per_page=1' );
			expect( signed.status ).toBe( 200 );
			expect( await siteDataExists( id ) ).toBe( true );

			const out = captureOutput();
			expect( await cli( [ 'unpair', id ], out ) ).toBe( 0 );
			expect( out.text() ).toContain( further.url );
			await waitFor( async () => ! ( await serves( bridge, id ) ) );
			expect( await registered() ).toEqual( [] );
			expect( await siteDataExists( id ) ).toBe( false );
			// The first site is untouched.
			const firstStatus = await bridgeCaller(
				bridge.url,
				first.secret as string
			)( 'GET', '/v1/deliveries?per_page=1' );
			expect( firstStatus.status ).toBe( 200 );
		}, 30_000 );

		it( 'refuses to unpair the first site or one it does not know (exit 1, nothing removed)', async () => {
			expect( await pair( first ) ).toBe( 0 );
			expect( await pair( further ) ).toBe( 0 );
			for ( const target of [
				'default',
				first.url,
				'abcdefgh23',
				'https://unknown.example',
			] ) {
				const out = captureOutput();
				expect( await cli( [ 'unpair', target ], out ) ).toBe( 1 );
			}
			expect( await registered() ).toHaveLength( 1 );
			expect( await cli( [ 'unpair' ] ) ).toBe( 2 );
		} );

		if ( engine === 'PostgreSQL' ) {
			it( 'every bridge on the database serves a site paired through another host, and drops it on unpair', async () => {
				expect( await pair( first ) ).toBe( 0 );
				// Two hosts: their own data folders, each with the first site in config.json.
				const otherDir = fs.mkdtempSync(
					path.join( os.tmpdir(), 'pulse-sites-' )
				);
				try {
					fs.copyFileSync(
						configFilePath( dataDir ),
						configFilePath( otherDir )
					);
					const one = await runBridge();
					const two = await runBridge( otherDir );
					expect( await pair( further ) ).toBe( 0 );
					const id = ( ( await registered() )[ 0 ] as SiteEntry ).id;
					await waitFor(
						async () =>
							( await serves( one, id ) ) &&
							( await serves( two, id ) )
					);
					expect(
						await cli(
							[ 'unpair', further.url ],
							undefined,
							otherDir
						)
					).toBe( 0 );
					await waitFor(
						async () =>
							! ( await serves( one, id ) ) &&
							! ( await serves( two, id ) )
					);
				} finally {
					fs.rmSync( otherDir, { recursive: true, force: true } );
				}
			}, 30_000 );
		}
	}
);
