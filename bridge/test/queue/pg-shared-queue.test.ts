/**
 * Several bridges on one PostgreSQL database: each `PgQueue` here has its own pool, pg-boss and
 * listener, as a bridge process has, on a real PostgreSQL 15 (the suite's globalSetup).
 */
import { DEMO_CLIENT } from '../../../crm-sandbox/src';
import { CrmClient, type TokenSet } from '../../src/crm';
import { PgTokenStore } from '../../src/pg-token-store';
import { PgQueue } from '../../src/queue/pg-queue';
import { SecretBox } from '../../src/secret-box';
import { REDIRECT_URI, startContractSandbox } from '../crm/helpers';
import { newDelivery } from '../support/deliveries';
import { freshDatabase } from '../support/postgres';
import { claimWithin } from '../support/queue-engines';

const attempt = { startedAt: Date.now(), durationMs: 5, email: null };
const done = {
	kind: 'done' as const,
	result: { status: 'updated' as const, userId: 1 },
};
// Short, so that a crashed holder's turn comes back within the test.
const SHORT_LEASE = { leaseSeconds: 2, maintenanceSeconds: 1 };

describe( 'PgQueue shared by two bridges', () => {
	let url: string;
	let bridges: PgQueue[];

	beforeEach( async () => {
		url = await freshDatabase();
		bridges = [
			await PgQueue.open( url, Date.now, SHORT_LEASE ),
			await PgQueue.open( url, Date.now, SHORT_LEASE ),
		];
	} );
	afterEach( () => Promise.all( bridges.map( ( queue ) => queue.close() ) ) );

	it( 'runs every job once, one at a time per contact, in arrival order, across both', async () => {
		const contacts = 20;
		const deliveries = Array.from( { length: 120 }, ( _, i ) =>
			newDelivery( 1 + ( i % contacts ), i % 3 === 0 ? 'add' : 'update' )
		);
		const runs = new Map< number, number >();
		const running = new Set< number >();
		const order = new Map< number, number[] >();
		let overlaps = 0;
		let accepting = true;
		// Deliveries arrive through both bridges while both run jobs, 4 workers each.
		const intake = ( async () => {
			for ( const [ i, delivery ] of deliveries.entries() ) {
				await bridges[ i % 2 ]!.accept( delivery );
			}
			accepting = false;
		} )();
		const workerLoop = async ( queue: PgQueue ) => {
			let idle = 0;
			while ( accepting || idle < 15 ) {
				const job = await queue.claim( Date.now() );
				if ( job === null ) {
					idle++;
					await new Promise( ( resolve ) =>
						setTimeout( resolve, 50 )
					);
					continue;
				}
				idle = 0;
				if ( running.has( job.contactId ) ) {
					overlaps++;
				}
				running.add( job.contactId );
				runs.set( job.id, ( runs.get( job.id ) ?? 0 ) + 1 );
				order.set( job.contactId, [
					...( order.get( job.contactId ) ?? [] ),
					job.id,
				] );
				await new Promise( ( resolve ) => setTimeout( resolve, 5 ) );
				running.delete( job.contactId );
				await queue.finishAttempt( job.id, attempt, done );
			}
		};
		await Promise.all( [
			intake,
			...bridges.flatMap( ( queue ) =>
				Array.from( { length: 4 }, () => workerLoop( queue ) )
			),
		] );
		expect( overlaps ).toBe( 0 );
		expect( [ ...runs.values() ].every( ( n ) => n === 1 ) ).toBe( true );
		for ( const ids of order.values() ) {
			expect( ids ).toEqual( [ ...ids ].sort( ( a, b ) => a - b ) );
		}
		const stats = await bridges[ 0 ]!.stats();
		expect( stats ).toMatchObject( {
			done: deliveries.length,
			pending: 0,
			in_progress: 0,
		} );
	} );

	it( 'hands a crashed holder’s job to the other bridge after the lease, and ignores its late result', async () => {
		const [ first, second ] = bridges as [ PgQueue, PgQueue ];
		const delivery = newDelivery( 9, 'add' );
		await first.accept( delivery );
		const held = await claimWithin( first, 2000 );
		expect( held ).not.toBeNull();
		// The holder stops answering (a SIGKILLed bridge): nothing is finished or released.
		expect( await second.claim( Date.now() ) ).toBeNull();
		const taken = await claimWithin( second, 10_000 );
		expect( taken ).toMatchObject( { id: held!.id, contactId: 9 } );
		await first.finishAttempt( held!.id, attempt, done );
		expect( ( await second.getDelivery( delivery.id ) )?.state ).toBe(
			'in_progress'
		);
		await second.finishAttempt( taken!.id, attempt, done );
		expect( ( await first.outcome( delivery.id ) )?.state ).toBe( 'done' );
	} );

	it( 'tells a waiting request on one bridge that the other bridge finished its job', async () => {
		const [ first, second ] = bridges as [ PgQueue, PgQueue ];
		const accepted = await first.accept( newDelivery( 12 ) );
		const settled = new Promise< number >( ( resolve ) =>
			first.onSettled( resolve )
		);
		const job = await claimWithin( second, 2000 );
		await second.finishAttempt( job!.id, attempt, done );
		expect( await settled ).toBe( accepted.jobId );
	} );
} );

describe( 'CRM tokens shared by two bridges', () => {
	it( 'refreshes expired tokens once across both bridges', async () => {
		const env = await startContractSandbox();
		const url = await freshDatabase();
		const queues = [ await PgQueue.open( url ), await PgQueue.open( url ) ];
		try {
			const box = new SecretBox(
				() => [
					`whsec_${ Buffer.alloc( 32, 7 ).toString( 'base64' ) }`,
				],
				'crm-tokens-v1'
			);
			const key = {
				accountUrl: `${ env.sandbox.url }/`,
				portalUrl: env.sandbox.url,
				clientId: DEMO_CLIENT.id,
			};
			const stores = queues.map(
				( queue ) => new PgTokenStore( queue.pool, box, key )
			);
			const clients = stores.map(
				( store ) =>
					new CrmClient(
						{
							accountUrl: key.accountUrl,
							portalUrl: key.portalUrl,
							clientId: DEMO_CLIENT.id,
							clientSecret: DEMO_CLIENT.secret,
							maxRetries: 0,
						},
						store
					)
			);
			const { code } = await env.control( 'POST', 'oauth/code', {
				client_id: DEMO_CLIENT.id,
				redirect_uri: REDIRECT_URI,
			} );
			await clients[ 0 ]!.exchangeCode( code, REDIRECT_URI );
			const tokens = ( await stores[ 0 ]!.load() ) as TokenSet;
			await stores[ 0 ]!.save( { ...tokens, expiresAt: Date.now() - 1 } );
			await env.resetLog();
			// Both bridges find the tokens expired at once, several jobs each.
			await Promise.all(
				clients.flatMap( ( client ) =>
					[ 1, 2, 3 ].map( ( id ) => client.getContact( id ) )
				)
			);
			expect( ( await env.counters() )[ 'POST /oauth/token' ] ).toBe( 1 );
			expect( ( await stores[ 1 ]!.load() )?.refreshToken ).not.toBe(
				tokens.refreshToken
			);
		} finally {
			await Promise.all( queues.map( ( queue ) => queue.close() ) );
			await env.close();
		}
	} );
} );
