/**
 * Two bridges of one site on one PostgreSQL database (`--database`), over real HTTP, with the
 * real CRM client against the CRM sandbox and the fake plugin (support/fake-wordpress.ts):
 * what one bridge takes in, the other can run and report; the CRM connection made through one
 * serves both; a signed request accepted by one is refused as a replay by the other.
 */
import type { RunningBridge } from '../src/index';
import { newMessageId, Signer } from '../src/signature';
import { bridgeCaller } from './support/signed-fetch';
import { freshDatabase } from './support/postgres';
import {
	connectCrm,
	startBridge,
	startStack,
	TEST_SECRET,
	type TestStack,
} from './support/stack';
import { silentLogger } from '../src/log';

describe( 'two bridges on one PostgreSQL database', () => {
	let stack: TestStack;
	let bridges: RunningBridge[];

	beforeAll( async () => {
		stack = await startStack( { databaseUrl: await freshDatabase() } );
		bridges = [
			await startBridge( stack.config, { logger: silentLogger } ),
			await startBridge( stack.config, { logger: silentLogger } ),
		];
		await connectCrm( bridges[ 0 ]!, stack );
	} );

	afterAll( async () => {
		await Promise.all( bridges.map( ( bridge ) => bridge.close() ) );
		await stack.close();
	} );

	it( 'runs a delivery taken by one bridge with the CRM connection made through the other, and both report it', async () => {
		const contact = stack.sandbox.state.contacts.create( {
			email: 'pg-shared@example.com',
			first_name: 'Pat',
		} );
		const id = newMessageId();
		const answer = await bridgeCaller( bridges[ 1 ]!.url, TEST_SECRET )(
			'POST',
			'/v1/deliveries',
			{
				id,
				action: 'add',
				contact_id: contact.id,
				params: {},
				source_ip: '198.51.100.7',
				received_at: new Date().toISOString(),
				wait_ms: 10000,
			}
		);
		expect( answer.status ).toBe( 200 );
		const seen = await bridgeCaller( bridges[ 0 ]!.url, TEST_SECRET )(
			'GET',
			`/v1/deliveries/${ id }`
		);
		expect( seen.json ).toMatchObject( {
			id,
			state: 'done',
			email: 'pg-shared@example.com',
		} );
	} );

	it( 'refuses on one bridge a signed request the other accepted (replay across bridges)', async () => {
		const signer = new Signer( [ TEST_SECRET ], 'plugin' );
		const headers = signer.sign( {
			method: 'GET',
			path: '/v1/status',
			query: new URLSearchParams(),
			body: '',
		} );
		const send = ( bridge: RunningBridge ) =>
			fetch( `${ bridge.url }/v1/status`, { headers } );
		expect( ( await send( bridges[ 0 ]! ) ).status ).toBe( 200 );
		const replayed = await send( bridges[ 1 ]! );
		expect( replayed.status ).toBe( 401 );
		expect( await replayed.json() ).toMatchObject( {
			error: 'invalid_signature',
		} );
	} );
} );
