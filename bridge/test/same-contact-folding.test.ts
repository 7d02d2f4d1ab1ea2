/**
 * Many `add`s for one contact while its job runs, over real HTTP with the CRM sandbox (300 ms a
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

const CRM_LATENCY_MS = 300;
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

	const add = ( contactId: number ) =>
		call( 'POST', '/v1/deliveries', {
			id: newMessageId(),
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

	it( 'regression: 20 adds spread over a running job ran as up to 20 jobs (41 CRM calls); they fold into one follow-up per running job', async () => {
		const contactId = stack.sandbox.state.contacts.create( {
			email: 'spread@example.com',
		} ).id;
		const before = crmApiCalls();
		// One every 60 ms: the first job (3 calls, 900 ms) is running while most of them arrive.
		const answers = await Promise.all(
			Array.from(
				{ length: ADDS },
				( _, n ) =>
					new Promise< Awaited< ReturnType< typeof add > > >(
						( resolve ) =>
							setTimeout(
								() => resolve( add( contactId ) ),
								n * 60
							)
					)
			)
		);

		expect( answers.map( ( answer ) => answer.json.state ) ).toEqual(
			Array( ADDS ).fill( 'done' )
		);
		const userIds = new Set(
			answers.map( ( answer ) => answer.json.result.user_id )
		);
		expect( userIds.size ).toBe( 1 );
		// The first job, and one follow-up for what arrived while it ran (a few arrive while the
		// follow-up runs, whose own follow-up makes a third): never one job per delivery.
		const jobs = await jobsOf( contactId );
		expect( jobs.size ).toBeLessThanOrEqual( 3 );
		// 3 calls for the job that creates the user (contact, tags, Return Password), 2 per follow-up.
		expect( crmApiCalls() - before ).toBe( 3 + 2 * ( jobs.size - 1 ) );
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
