/**
 * The whole bridge (startBridge with its configuration) in a webhook storm, over real HTTP with
 * the CRM sandbox and the fake plugin: the storm settings reach the route and the queue.
 */
import type { RunningBridge } from '../src/index';
import { newMessageId } from '../src/signature';
import { bridgeCaller } from './support/signed-fetch';
import {
	capturingLogger,
	connectCrm,
	startBridge,
	startStack,
	TEST_SECRET,
	type TestStack,
} from './support/stack';

const SETTLE_MS = 60_000;

describe( 'bridge over HTTP in a webhook storm', () => {
	let stack: TestStack;
	let bridge: RunningBridge;
	let call: ReturnType< typeof bridgeCaller >;
	const logger = capturingLogger();

	beforeAll( async () => {
		// 1 delivery per second over the 2 s window: any 2 deliveries within 2 s are a storm.
		stack = await startStack( {
			stormRatePerSecond: 1,
			stormSettleMs: SETTLE_MS,
			stormSettleCapMs: 2 * SETTLE_MS,
		} );
		bridge = await startBridge( stack.config, {
			logger,
			shutdownGraceMs: 2000,
		} );
		call = bridgeCaller( bridge.url, TEST_SECRET );
		await connectCrm( bridge, stack );
	} );

	afterAll( async () => {
		await bridge.close();
		await stack.close();
	} );

	const newContact = ( email: string ): number =>
		stack.sandbox.state.contacts.create( { email } ).id;
	const deliver = ( action: string, contactId: number ) =>
		call( 'POST', '/v1/deliveries', {
			id: newMessageId(),
			action,
			contact_id: contactId,
			wait_ms: 5000,
		} );
	const stateOf = async ( deliveryId: string ): Promise< string > =>
		( await call( 'GET', `/v1/deliveries/${ deliveryId }` ) ).json.state;

	it( 'waits for a lone webhook; in a storm answers 202, holds updates and runs adds', async () => {
		const lone = await deliver( 'add', newContact( 'lone@example.com' ) );
		expect( lone ).toMatchObject( {
			status: 200,
			json: { state: 'done', result: { status: 'created' } },
		} );

		const updated = newContact( 'updated@example.com' );
		await deliver( 'update', updated );
		const update = await deliver( 'update', updated );
		expect( update ).toEqual( {
			status: 202,
			json: {
				delivery_id: expect.any( String ),
				state: 'queued',
				backlog: expect.any( Number ),
			},
		} );
		expect( update.json.backlog ).toBeGreaterThanOrEqual( 1 );
		expect(
			logger.lines.some( ( line ) => line.includes( 'storm.started' ) )
		).toBe( true );
		const held = await call(
			'GET',
			`/v1/deliveries/${ update.json.delivery_id }`
		);
		expect( held.json.state ).toBe( 'queued' );
		expect( Date.parse( held.json.due_at ) ).toBeGreaterThan(
			Date.now() + SETTLE_MS / 2
		);

		const add = await deliver( 'add', newContact( 'add@example.com' ) );
		expect( add.status ).toBe( 202 );
		// Not held: it runs while the update still waits.
		let addState = '';
		for ( let poll = 0; poll < 200 && addState !== 'done'; poll++ ) {
			await new Promise( ( resolve ) => setTimeout( resolve, 50 ) );
			addState = await stateOf( add.json.delivery_id );
		}
		expect( addState ).toBe( 'done' );
		expect( await stateOf( update.json.delivery_id ) ).toBe( 'queued' );
	} );
} );
