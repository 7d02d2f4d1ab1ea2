/**
 * One bridge serving two sites over real HTTP: the top-level site of config.json at the
 * unprefixed paths and a registry site under `/sites/<id>/`, each with its own fake plugin and
 * secret, the real CRM sandbox, and a SQLite file each or a schema pair each on PostgreSQL.
 */
import fs from 'node:fs';
import pg from 'pg';
import type { BridgeConfig } from '../src/config';
import type { RunningBridge } from '../src/index';
import { siteSchemas } from '../src/site-schemas';
import { openSiteRegistry } from '../src/sites/open-registry';
import { newMessageId, Signer } from '../src/signature';
import { newSiteId, type SiteEntry } from '../src/sites/registry';
import { siteDbPath } from '../src/sites/site-context';
import { FakeWordPress } from './support/fake-wordpress';
import { freshDatabase } from './support/postgres';
import { bridgeCaller } from './support/signed-fetch';
import {
	capturingLogger,
	connectCrm,
	defaultSettings,
	OAUTH_REDIRECT,
	startBridge,
	startStack,
	TEST_SECRET,
	type TestStack,
} from './support/stack';
import { DEMO_CLIENT } from '../../crm-sandbox/src';

const SECOND_SECRET = `whsec_${ Buffer.alloc( 32, 7 ).toString( 'base64' ) }`;

describe.each( [ 'SQLite', 'PostgreSQL' ] )(
	'one bridge, two sites, on %s',
	( engine ) => {
		let stack: TestStack;
		let second: FakeWordPress;
		let entry: SiteEntry;
		let bridge: RunningBridge;
		let databaseUrl: string | null = null;
		let callFirst: ReturnType< typeof bridgeCaller >;
		let callSecond: ReturnType< typeof bridgeCaller >;

		beforeAll( async () => {
			stack = await startStack();
			second = new FakeWordPress(
				new Signer( [ SECOND_SECRET ], 'plugin' ),
				defaultSettings( stack.sandbox.url )
			);
			await second.start();
			entry = {
				id: newSiteId(),
				siteUrl: second.url,
				secrets: [ SECOND_SECRET ],
				previousSecretUntil: null,
				pairedAt: new Date().toISOString(),
			};
			let config: BridgeConfig = { ...stack.config, sites: [ entry ] };
			if ( engine === 'PostgreSQL' ) {
				// On PostgreSQL the further sites are in the shared registry, not in config.json.
				databaseUrl = await freshDatabase();
				config = { ...stack.config, databaseUrl };
				const registry = await openSiteRegistry( config );
				await registry.save( entry );
				await registry.close();
			}
			bridge = await startBridge( config, {
				logger: capturingLogger(),
				shutdownGraceMs: 2000,
				crmTuning: { maxRetries: 0, retryBaseDelayMs: 10 },
			} );
			callFirst = bridgeCaller( bridge.url, TEST_SECRET );
			callSecond = bridgeCaller(
				`${ bridge.url }/sites/${ entry.id }`,
				SECOND_SECRET
			);
			await connectCrm( bridge, stack );
			const code = stack.sandbox.state.grants.issueCode(
				DEMO_CLIENT.id,
				OAUTH_REDIRECT
			);
			const exchanged = await callSecond(
				'POST',
				'/v1/crm/oauth/exchange',
				{
					code,
					redirect_uri: OAUTH_REDIRECT,
				}
			);
			if ( exchanged.json.connected !== true ) {
				throw new Error(
					`OAuth exchange failed: ${ JSON.stringify( exchanged.json ) }`
				);
			}
		} );

		afterAll( async () => {
			await bridge.close();
			await second.close();
			await stack.close();
		} );

		const add = (
			call: ReturnType< typeof bridgeCaller >,
			contactId: number,
			waitMs = 5000
		) =>
			call( 'POST', '/v1/deliveries', {
				id: newMessageId(),
				action: 'add',
				contact_id: contactId,
				params: {},
				source_ip: '198.51.100.7',
				received_at: new Date().toISOString(),
				wait_ms: waitMs,
			} );

		it( 'keeps each site in its own store', async () => {
			expect(
				fs.existsSync( siteDbPath( stack.config, entry.id ) )
			).toBe( engine === 'SQLite' );
			const schemas =
				databaseUrl === null
					? []
					: await schemasOf( databaseUrl, entry.id );
			expect( schemas ).toHaveLength( engine === 'PostgreSQL' ? 2 : 0 );
		} );

		it( 'treats the same contact id on two sites as two contacts, each written to its own site', async () => {
			const contact = stack.sandbox.state.contacts.create( {
				email: 'both@example.com',
			} );
			const onFirst = await add( callFirst, contact.id );
			const onSecond = await add( callSecond, contact.id );
			expect( onFirst.status ).toBe( 200 );
			expect( onSecond.status ).toBe( 200 );
			expect( onFirst.json.state ).toBe( 'done' );
			expect( onSecond.json.state ).toBe( 'done' );
			expect(
				stack.wordpress.writes.filter(
					( write ) => write.contact_id === contact.id
				)
			).toHaveLength( 1 );
			expect(
				second.writes.filter(
					( write ) => write.contact_id === contact.id
				)
			).toHaveLength( 1 );
		} );

		it( 'shows a site only its own deliveries', async () => {
			const contact = stack.sandbox.state.contacts.create( {
				email: 'second-only@example.com',
			} );
			const answer = await add( callSecond, contact.id );
			const id = answer.json.delivery_id as string;
			expect(
				( await callSecond( 'GET', `/v1/deliveries/${ id }` ) ).status
			).toBe( 200 );
			expect(
				( await callFirst( 'GET', `/v1/deliveries/${ id }` ) ).status
			).toBe( 404 );
		} );

		it( 'refuses a request signed by one site for the other site’s prefix (regression: cross-site access)', async () => {
			const firstAtSecond = bridgeCaller(
				`${ bridge.url }/sites/${ entry.id }`,
				TEST_SECRET
			);
			const secondAtFirst = bridgeCaller( bridge.url, SECOND_SECRET );
			for ( const call of [ firstAtSecond, secondAtFirst ] ) {
				const answer = await call( 'GET', '/v1/status' );
				expect( answer.status ).toBe( 401 );
				expect( answer.json ).toMatchObject( {
					error: 'invalid_signature',
				} );
			}
		} );

		it( 'answers 404 for a site id that is not paired, signed or not', async () => {
			const stranger = bridgeCaller(
				`${ bridge.url }/sites/${ newSiteId() }`,
				SECOND_SECRET
			);
			expect(
				( await stranger( 'GET', '/v1/status' ) ).json
			).toMatchObject( { error: 'unknown_site' } );
			const malformed = await fetch(
				`${ bridge.url }/sites/NOT-AN-ID/v1/health`
			);
			expect( malformed.status ).toBe( 404 );
			const health = await fetch(
				`${ bridge.url }/sites/${ entry.id }/v1/health`
			);
			expect( health.status ).toBe( 200 );
		} );

		it( 'answers a site’s single add 200 while the other site storms against a WordPress that hangs (fairness)', async () => {
			// Every write to the first site takes long: its workers are all busy with the storm.
			stack.wordpress.writeDelayMs = 3000;
			const storm = Array.from( { length: 40 }, () =>
				add(
					callFirst,
					stack.sandbox.state.contacts.create( {
						email: `storm-${ newMessageId() }@example.com`,
					} ).id,
					0
				)
			);
			const stormAnswers = await Promise.all( storm );
			expect(
				stormAnswers.every( ( answer ) => answer.status === 202 )
			).toBe( true );
			const contact = stack.sandbox.state.contacts.create( {
				email: 'calm@example.com',
			} );
			const calm = await add( callSecond, contact.id, 5000 );
			expect( calm.status ).toBe( 200 );
			expect( calm.json.state ).toBe( 'done' );
			stack.wordpress.writeDelayMs = 0;
		} );
	}
);

/**
 * The schemas of a site that exist on the database.
 * @param url The database.
 * @param id  The site.
 */
async function schemasOf( url: string, id: string ): Promise< string[] > {
	const client = new pg.Client( url );
	await client.connect();
	try {
		const { rows } = await client.query< { name: string } >(
			'SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name = ANY($1)',
			[ Object.values( siteSchemas( id ) ) ]
		);
		return rows.map( ( row ) => row.name );
	} finally {
		await client.end();
	}
}
