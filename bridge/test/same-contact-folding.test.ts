/**
 * Many `add`s for one contact while its job runs, over real HTTP with the CRM sandbox (500 ms a
 * call) and the fake plugin: deliveries that arrive while a job of their contact runs fold into
 * one follow-up job, and each waiting caller gets the result of the job it folded into.
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

// Three calls make the first job last about 1.5 s: every later add surely arrives while it runs.
const CRM_LATENCY_MS = 500;
const ADDS = 20;

describe( 'one contact, many adds, a slow CRM', () => {
	let stack: TestStack;
	let bridge: RunningBridge;
	let call: ReturnType< typeof bridgeCaller >;

	beforeAll( async () => {
		// Outside a storm, as in issue 12: nothing settles, every job is due at once.
		stack = await startStack( { stormRatePerSecond: 10_000, workers: 8 } );
		bridge = await startBridge( stack.config, {
			logger: capturingLogger(),
			shutdownGraceMs: 2000,
		} );
		call = bridgeCaller( bridge.url, TEST_SECRET );
		await connectCrm( bridge, stack );
		stack.sandbox.state.faults.latencyMs = CRM_LATENCY_MS;
	} );

	afterAll( async () => {
		await bridge.close();
		await stack.close();
	} );

	const crmApiCalls = (): number =>
		Object.entries( stack.sandbox.state.requests.countersSnapshot() )
			.filter( ( [ endpoint ] ) => endpoint.includes( ' /api/' ) )
			.reduce( ( sum, [ , count ] ) => sum + count, 0 );

	const add = ( contactId: number, id = newMessageId() ) =>
		call( 'POST', '/v1/deliveries', {
			id,
			action: 'add',
			contact_id: contactId,
			wait_ms: 20_000,
		} );

	async function jobsOf( contactId: number ): Promise< Set< string > > {
		const list = await call(
			'GET',
			`/v1/deliveries?contact_id=${ contactId }&per_page=100`
		);
		return new Set(
			( list.json.items as { id: string; merged_into?: string }[] ).map(
				( delivery ) => delivery.merged_into ?? delivery.id
			)
		);
	}

	async function untilRunning( deliveryId: string ): Promise< void > {
		for ( let poll = 0; poll < 400; poll++ ) {
			const delivery = await call(
				'GET',
				`/v1/deliveries/${ deliveryId }`
			);
			if ( delivery.json.state !== 'queued' ) {
				return;
			}
			await new Promise( ( resolve ) => setTimeout( resolve, 10 ) );
		}
		throw new Error( `delivery ${ deliveryId } never started` );
	}

	it( 'regression: 20 adds for one contact ran as up to 20 jobs one after another (41 CRM calls); those that arrive while its job runs fold into one follow-up', async () => {
		const contactId = stack.sandbox.state.contacts.create( {
			email: 'running@example.com',
		} ).id;
		const before = crmApiCalls();
		const firstId = newMessageId();
		const first = add( contactId, firstId );
		await untilRunning( firstId );
		const later = await Promise.all(
			Array.from( { length: ADDS - 1 }, () => add( contactId ) )
		);
		const answers = [ await first, ...later ];

		// Whoever waited on a folded delivery got the follow-up's result: the same user.
		expect( answers.map( ( answer ) => answer.json.state ) ).toEqual(
			Array( ADDS ).fill( 'done' )
		);
		expect(
			new Set( answers.map( ( answer ) => answer.json.result.user_id ) )
				.size
		).toBe( 1 );
		expect( ( await jobsOf( contactId ) ).size ).toBe( 2 );
		// Contact, tags and Return Password for the job that creates the user; contact and tags
		// for the follow-up (the user exists, no password to return).
		expect( crmApiCalls() - before ).toBe( 5 );
	} );

	it( 'folds 20 simultaneous adds into the running job’s single follow-up', async () => {
		const contactId = stack.sandbox.state.contacts.create( {
			email: 'burst@example.com',
		} ).id;
		const before = crmApiCalls();
		const answers = await Promise.all(
			Array.from( { length: ADDS }, () => add( contactId ) )
		);
		expect(
			answers.every( ( answer ) => answer.json.state === 'done' )
		).toBe( true );
		expect( ( await jobsOf( contactId ) ).size ).toBeLessThanOrEqual( 2 );
		expect( crmApiCalls() - before ).toBeLessThanOrEqual( 5 );
	} );
} );
