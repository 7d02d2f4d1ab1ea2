/**
 * Import, resync and reconciliation runs over real HTTP: the bridge (server, queue, worker,
 * feeder) on SQLite and on PostgreSQL, the real CRM client against the CRM sandbox, and the fake
 * plugin (support/fake-wordpress.ts), which keeps one user per contact id as the plugin does;
 * then the feeder and the run store on both engines, and two bridges' feeders on one database.
 */
import { ImportFeeder } from '../../src/imports/feeder';
import { PgRunStore } from '../../src/imports/pg-run-store';
import {
	Reconciler,
	RECONCILE_INTERVAL_MS,
} from '../../src/imports/reconciler';
import type { NewRun, RunStore } from '../../src/imports/run-store';
import type { SourceClients } from '../../src/imports/sources';
import type { RunningBridge } from '../../src/index';
import { createLogger } from '../../src/log';
import { PgQueue } from '../../src/queue/pg-queue';
import type { Queue } from '../../src/queue/queue';
import { parseSettings } from '../../src/settings';
import { freshDatabase } from '../support/postgres';
import {
	claimWithin,
	QUEUE_ENGINES,
	type OpenQueue,
} from '../support/queue-engines';
import { bridgeCaller } from '../support/signed-fetch';
import {
	capturingLogger,
	connectCrm,
	startBridge,
	startStack,
	TEST_SECRET,
	type TestStack,
} from '../support/stack';

const silent = createLogger( () => {} );

async function until(
	check: () => Promise< boolean > | boolean,
	timeoutMs = 20_000
): Promise< void > {
	const deadline = Date.now() + timeoutMs;
	while ( ! ( await check() ) ) {
		if ( Date.now() > deadline ) {
			throw new Error( 'timed out' );
		}
		await new Promise( ( resolve ) => setTimeout( resolve, 50 ) );
	}
}

describe.each( [ 'SQLite', 'PostgreSQL' ] )(
	'import runs over HTTP on %s',
	( engine ) => {
		let stack: TestStack;
		let bridge: RunningBridge;
		let call: ReturnType< typeof bridgeCaller >;

		beforeAll( async () => {
			stack = await startStack( {
				workers: 4,
				databaseUrl:
					engine === 'PostgreSQL' ? await freshDatabase() : null,
			} );
			bridge = await startBridge( stack.config, {
				logger: capturingLogger(),
				shutdownGraceMs: 2000,
				crmTuning: { maxRetries: 0, retryBaseDelayMs: 10 },
			} );
			call = bridgeCaller( bridge.url, TEST_SECRET );
			await connectCrm( bridge, stack );
		} );

		afterAll( async () => {
			await bridge.close();
			await stack.close();
		} );

		const contacts = () => stack.sandbox.state.contacts;
		function tagged( count: number, tagName: string ): number {
			const tag = contacts().createTag( tagName );
			for ( let n = 0; n < count; n++ ) {
				const contact = contacts().create( {
					email: `${ tagName.toLowerCase() }-${ n }@example.com`,
					first_name: `N${ n }`,
				} );
				contacts().applyTags( contact, [ tag.id ] );
			}
			return tag.id;
		}
		const finished = async ( id: number ) => {
			const answer = await call( 'GET', `/v1/imports/${ id }` );
			return answer.json.state === 'completed' ? answer.json : null;
		};

		it( 'imports 40 contacts over 3 CRM pages (&page=N after ?tag_id=) into 40 users, counting from the deliveries', async () => {
			const tagId = tagged( 40, 'Forty' );
			const preview = await call(
				'GET',
				`/v1/imports/preview?tag_id=${ tagId }`
			);
			expect( preview.json ).toEqual( { tag_id: tagId, contacts: 40 } );

			const started = await call( 'POST', '/v1/imports', {
				kind: 'import',
				tag_id: tagId,
				role: 'subscriber',
				send_notification: true,
			} );
			expect( started.status ).toBe( 201 );
			// Answered before the count: the total comes once the bridge has counted the tag.
			expect( started.json ).toMatchObject( {
				kind: 'import',
				state: 'running',
			} );
			let run: any = null;
			await until(
				async () => ( run = await finished( started.json.id ) ) !== null
			);
			expect( run.total ).toBe( 40 );
			expect( run.counts ).toEqual( {
				found: 40,
				processed: 40,
				created: 40,
				updated: 0,
				skipped: 0,
				failed: 0,
				queued: 0,
			} );
			const imported = stack.wordpress.writes.filter( ( write ) =>
				write.delivery_id.startsWith( `imp_${ run.id }_` )
			);
			expect( imported ).toHaveLength( 40 );
			expect(
				imported.every( ( write ) => write.action === 'add' )
			).toBe( true );
			expect(
				imported.every( ( write ) => write.send_notification )
			).toBe( true );
			expect(
				new Set( imported.map( ( write ) => write.contact_id ) ).size
			).toBe( 40 );

			const delivery = await call(
				'GET',
				`/v1/deliveries/${ imported[ 0 ]?.delivery_id }`
			);
			expect( delivery.json.source ).toBe( 'import' );
		} );

		it( 'regression: a slow CRM made the start outlast the plugin’s relay timeout (502); the run exists at once and is counted after', async () => {
			const tagId = tagged( 3, 'Slow' );
			// Counting takes CRM calls; the answer must not wait for any of them.
			stack.sandbox.state.faults.latencyMs = 1500;
			try {
				const started = await call( 'POST', '/v1/imports', {
					kind: 'import',
					tag_id: tagId,
				} );
				expect( started.status ).toBe( 201 );
				expect( started.json.total ).toBeNull();
				let run: any = null;
				await until(
					async () =>
						( run = await finished( started.json.id ) ) !== null,
					30000
				);
				expect( run.total ).toBe( 3 );
				expect( run.counts.created ).toBe( 3 );
			} finally {
				stack.sandbox.state.faults.latencyMs = 0;
			}
		} );

		it( 'refuses a second run while one is active, and pauses, resumes and cancels', async () => {
			const tagId = tagged( 3, 'Three' );
			stack.wordpress.writeDelayMs = 300;
			const first = await call( 'POST', '/v1/imports', {
				kind: 'import',
				tag_id: tagId,
			} );
			const paused = await call(
				'POST',
				`/v1/imports/${ first.json.id }/pause`
			);
			expect( paused.json.state ).toBe( 'paused' );
			const second = await call( 'POST', '/v1/imports', {
				kind: 'resync',
			} );
			expect( second.status ).toBe( 409 );
			expect( second.json.error ).toBe( 'import_active' );
			expect(
				( await call( 'POST', `/v1/imports/${ first.json.id }/pause` ) )
					.status
			).toBe( 409 );
			expect(
				(
					await call(
						'POST',
						`/v1/imports/${ first.json.id }/resume`
					)
				).json.state
			).toBe( 'running' );
			expect(
				(
					await call(
						'POST',
						`/v1/imports/${ first.json.id }/cancel`
					)
				).json.state
			).toBe( 'cancelled' );
			expect(
				(
					await call(
						'POST',
						`/v1/imports/${ first.json.id }/resume`
					)
				).status
			).toBe( 409 );
			stack.wordpress.writeDelayMs = 0;
			// A cancelled run's deliveries already queued still run (docs/architecture.md, "Import,
			// resync and reconciliation"): the next case counts the site's users, so let them land.
			await until( async () => {
				const { queue } = ( await call( 'GET', '/v1/status' ) ).json;
				return queue.pending === 0 && queue.in_progress === 0;
			} );
		} );

		it( 'refuses bad input with a clear error and starts nothing', async () => {
			const before = ( await call( 'GET', '/v1/imports' ) ).json.runs
				.length;
			for ( const body of [
				{ kind: 'import' },
				{ kind: 'import', tag_id: -1 },
				{ kind: 'import', tag_id: 1, role: 'bad role' },
				{ kind: 'import', tag_id: 1, send_notification: 'yes' },
				{ kind: 'everything' },
			] ) {
				const answer = await call( 'POST', '/v1/imports', body );
				expect( answer.status ).toBe( 400 );
				expect( answer.json.error ).toBe( 'invalid_request' );
			}
			expect( ( await call( 'GET', '/v1/imports/999999' ) ).status ).toBe(
				404
			);
			expect(
				( await call( 'GET', '/v1/imports' ) ).json.runs.length
			).toBe( before );
		} );

		it( 'resyncs every linked user with update_tags, paging the site by contact id', async () => {
			const linked = stack.wordpress.users.size;
			const started = await call( 'POST', '/v1/imports', {
				kind: 'resync',
			} );
			let run: any = null;
			await until(
				async () => ( run = await finished( started.json.id ) ) !== null
			);
			expect( run.total ).toBe( linked );
			expect( run.counts ).toMatchObject( {
				found: linked,
				processed: linked,
				updated: linked,
				failed: 0,
			} );
			const writes = stack.wordpress.writes.filter( ( write ) =>
				write.delivery_id.startsWith( `rsy_${ run.id }_` )
			);
			expect(
				writes.every( ( write ) => write.action === 'update_tags' )
			).toBe( true );
		} );

		it( 'answers 409 crm_not_configured, not a 500, before the CRM credentials are entered', async () => {
			const saved = stack.wordpress.settings;
			stack.wordpress.settings = {
				...saved,
				rev: 2,
				crm: { ...saved.crm, client_secret: '' },
			};
			try {
				const answer = await bridgeCaller(
					bridge.url,
					TEST_SECRET,
					() => '2'
				)( 'GET', '/v1/imports/preview?tag_id=1' );
				expect( answer.status ).toBe( 409 );
				expect( answer.json.error ).toBe( 'crm_not_configured' );
			} finally {
				stack.wordpress.settings = saved;
			}
		} );
	}
);

const TAG_9_IMPORT: NewRun = {
	kind: 'import',
	tagId: 9,
	role: null,
	sendNotification: false,
	mappedFields: false,
};

async function startedRun( runs: RunStore, total: number | null ) {
	const start = await runs.start( TAG_9_IMPORT, total, [ 'import' ] );
	if ( ! start.started ) {
		throw new Error( 'a run was already active' );
	}
	return start.run;
}

describe.each( QUEUE_ENGINES )(
	'the feeder and its store on $name',
	( engine ) => {
		let opened: OpenQueue[] = [];
		afterEach( async () => {
			await Promise.all( opened.map( ( store ) => store.close() ) );
			opened = [];
		} );

		const tagPages: number[][] = [ [ 1, 2, 3 ], [ 4, 5, 6 ], [ 7 ] ];
		const pagesAsked: number[] = [];
		const clients = ( linked: number[] = [] ): SourceClients => ( {
			crm: async () =>
				( {
					contactsByTagPage: async (
						_query: unknown,
						page: number
					) => {
						pagesAsked.push( page );
						return {
							items: tagPages[ page - 1 ] ?? [],
							lastPage: tagPages.length,
						};
					},
				} ) as never,
			wordpress: {
				fetchLinkedContacts: async () => ( {
					contact_ids: [],
					total: 0,
				} ),
				lookupLinkedContacts: async ( ids ) => ( {
					linked: ids.filter( ( id ) => linked.includes( id ) ),
				} ),
			},
		} );
		const options = {
			window: 100,
			pollMs: 10,
			retryMs: 10,
			logger: silent,
		};

		async function fresh( now?: () => number ) {
			const store = await engine.open();
			opened.push( store );
			return { queue: store.queue, runs: store.runs( now ) };
		}

		/**
		 * A fresh queue and run store with one import run of tag 9.
		 * @param total The run's total.
		 */
		async function importRun( total: number ) {
			const { queue, runs } = await fresh();
			return { queue, runs, run: await startedRun( runs, total ) };
		}

		beforeEach( () => {
			pagesAsked.length = 0;
		} );

		it( 'resumes after a crash from its cursor and queues no contact twice', async () => {
			const { queue, runs, run } = await importRun( 7 );
			await new ImportFeeder(
				runs,
				queue,
				clients(),
				options
			).feedOnce();
			expect( ( await runs.get( run.id ) )?.cursor ).toBe( 1 );
			// A crash after page 2 was queued but before its cursor was stored: page 2 is asked again.
			const page2 = tagPages[ 1 ] as number[];
			for ( const contactId of page2 ) {
				await queue.accept( {
					id: `imp_${ run.id }_${ contactId }`,
					source: 'import',
					action: 'add',
					contactId,
					params: {},
					sendNotification: false,
					role: null,
					sourceIp: null,
					receivedAt: new Date().toISOString(),
				} );
			}
			const restarted = new ImportFeeder(
				runs,
				queue,
				clients(),
				options
			);
			await restarted.feedOnce();
			await restarted.feedOnce();
			expect( pagesAsked ).toEqual( [ 1, 2, 3 ] );
			expect( ( await runs.get( run.id ) )?.fed_all ).toBe( 1 );
			expect( ( await queue.stats() ).pending ).toBe( 7 );
			expect( await runs.counts( run.id ) ).toMatchObject( {
				found: 7,
				processed: 0,
				outstanding: 7,
			} );
		} );

		it( 'regression: a page whose turn had started was queued after the cancel was answered', async () => {
			const { queue, runs, run } = await importRun( 7 );
			let asked: () => void = () => {};
			const pageAsked = new Promise< void >(
				( resolve ) => ( asked = resolve )
			);
			const slowCrm: SourceClients = {
				...clients(),
				crm: async () =>
					( {
						contactsByTagPage: async (
							_query: unknown,
							page: number
						) => {
							asked();
							await new Promise( ( resolve ) =>
								setTimeout( resolve, 200 )
							);
							return {
								items: tagPages[ page - 1 ] ?? [],
								lastPage: tagPages.length,
							};
						},
					} ) as never,
			};
			const feeder = new ImportFeeder( runs, queue, slowCrm, options );
			const turn = feeder.feedOnce();
			await pageAsked;
			expect(
				await runs.command(
					run.id,
					[ 'running', 'paused' ],
					'cancelled'
				)
			).toBe( true );
			const queuedWhenAnswered = ( await queue.stats() ).pending;
			await turn;
			await feeder.feedOnce();
			expect( ( await queue.stats() ).pending ).toBe(
				queuedWhenAnswered
			);
			expect( ( await runs.get( run.id ) )?.state ).toBe( 'cancelled' );
		} );

		it( 'waits while a window of its deliveries is open', async () => {
			const { queue, runs } = await importRun( 7 );
			const feeder = new ImportFeeder( runs, queue, clients(), {
				...options,
				window: 3,
			} );
			expect( await feeder.feedOnce() ).toBe( true );
			expect( await feeder.feedOnce() ).toBe( false );
			expect( pagesAsked ).toEqual( [ 1 ] );
		} );

		it( 'counts the outcomes of its jobs: created, updated, skipped, failed', async () => {
			const { queue, runs, run } = await importRun( 3 );
			const feeder = new ImportFeeder( runs, queue, clients(), options );
			await feeder.feedOnce();
			const outcomes = [
				{ kind: 'done', result: { status: 'created', userId: 1 } },
				{
					kind: 'done',
					result: {
						status: 'skipped',
						userId: null,
						reason: 'no_user',
					},
				},
				{
					kind: 'failed',
					error: { code: 'invalid_email', message: 'no email' },
				},
			] as const;
			for ( const outcome of outcomes ) {
				const job = await claimWithin( queue, 5000 );
				await queue.finishAttempt(
					( job as { id: number } ).id,
					{ startedAt: Date.now(), durationMs: 1, email: null },
					outcome
				);
			}
			expect( await runs.counts( run.id ) ).toEqual( {
				found: 3,
				processed: 3,
				created: 1,
				updated: 0,
				skipped: 1,
				failed: 1,
				outstanding: 0,
			} );
		} );

		it( 'a reconciliation queues only the contacts without a user, a day after it was turned on', async () => {
			let now = 1_000_000;
			const { queue, runs } = await fresh( () => now );
			const settings = parseSettings( {
				rev: 1,
				field_mapping: [],
				return_password: { enabled: false, field: '' },
				crm: {},
				reconcile: { enabled: true, tag_ids: [ 9 ] },
			} );
			const reconciler = new Reconciler(
				runs,
				async () => settings,
				() => {},
				silent,
				() => now
			);
			expect( await reconciler.tick() ).toEqual( [] );
			expect( await reconciler.nextRunAt() ).toBe(
				now + RECONCILE_INTERVAL_MS
			);
			now += RECONCILE_INTERVAL_MS;
			const [ runId ] = await reconciler.tick();
			expect( await reconciler.tick() ).toEqual( [] );
			const feeder = new ImportFeeder(
				runs,
				queue,
				clients( [ 2, 5 ] ),
				options,
				() => now
			);
			for ( let page = 0; page < 3; page++ ) {
				await feeder.feedOnce();
			}
			const delivered = await queue.listDeliveries( {
				page: 1,
				perPage: 100,
			} );
			expect(
				delivered.items.map( ( d ) => d.contact_id ).sort()
			).toEqual( [ 1, 3, 4, 6, 7 ] );
			expect(
				delivered.items.every(
					( d ) => d.source === 'reconcile' && d.action === 'add'
				)
			).toBe( true );
			expect( await runs.counts( runId as number ) ).toMatchObject( {
				found: 7,
				skipped: 2,
				processed: 2,
			} );
		} );
	}
);

describe( 'two bridges on one PostgreSQL database', () => {
	const opened: PgQueue[] = [];
	afterAll( async () => {
		await Promise.all( opened.map( ( queue ) => queue.close() ) );
	} );

	/** Two bridges' queues and run stores on one new database. */
	async function twoBridges(): Promise< { queue: Queue; runs: RunStore }[] > {
		const url = await freshDatabase();
		const queues = [ await PgQueue.open( url ), await PgQueue.open( url ) ];
		opened.push( ...queues );
		return queues.map( ( queue ) => ( {
			queue,
			runs: new PgRunStore( queue.pool ),
		} ) );
	}

	it( 'regression: both feeders took the same page of one run; each page is asked once and the cursor never goes back', async () => {
		const bridges = await twoBridges();
		const run = await startedRun(
			( bridges[ 0 ] as { runs: RunStore } ).runs,
			7
		);
		const pages: number[][] = [ [ 1, 2, 3 ], [ 4, 5, 6 ], [ 7 ] ];
		const asked: number[] = [];
		const cursors: number[] = [];
		// A CRM slow enough that the two feeders' turns overlap.
		const slowCrm: SourceClients = {
			crm: async () =>
				( {
					contactsByTagPage: async (
						_query: unknown,
						page: number
					) => {
						asked.push( page );
						await new Promise( ( resolve ) =>
							setTimeout( resolve, 100 )
						);
						return {
							items: pages[ page - 1 ] ?? [],
							lastPage: pages.length,
						};
					},
				} ) as never,
			wordpress: {
				fetchLinkedContacts: async () => ( {
					contact_ids: [],
					total: 0,
				} ),
				lookupLinkedContacts: async () => ( { linked: [] } ),
			},
		};
		const feeders = bridges.map(
			( { queue, runs } ) =>
				new ImportFeeder( runs, queue, slowCrm, {
					window: 100,
					pollMs: 10,
					retryMs: 10,
					logger: silent,
				} )
		);
		for ( let round = 0; round < 4; round++ ) {
			await Promise.all( feeders.map( ( feeder ) => feeder.feedOnce() ) );
			cursors.push(
				(
					( await bridges[ 1 ]?.runs.get( run.id ) ) as {
						cursor: number;
					}
				 ).cursor
			);
		}
		expect( asked ).toEqual( [ 1, 2, 3 ] );
		expect( cursors ).toEqual( [ ...cursors ].sort( ( a, b ) => a - b ) );
		expect( await bridges[ 1 ]?.runs.counts( run.id ) ).toMatchObject( {
			found: 7,
			outstanding: 7,
		} );
		expect( ( await bridges[ 0 ]?.queue.stats() )?.pending ).toBe( 7 );
	} );

	it( 'two bridges asked at once start one run', async () => {
		const bridges = await twoBridges();
		const starts = await Promise.all(
			bridges.map( ( { runs } ) =>
				runs.start( TAG_9_IMPORT, null, [ 'import', 'resync' ] )
			)
		);
		expect( starts.filter( ( start ) => start.started ) ).toHaveLength( 1 );
		expect( await bridges[ 0 ]?.runs.list( 10 ) ).toHaveLength( 1 );
	} );

	it( "a day's reconciliation is started once across two bridges", async () => {
		const bridges = await twoBridges();
		let now = 1_000_000;
		const settings = parseSettings( {
			rev: 1,
			field_mapping: [],
			return_password: { enabled: false, field: '' },
			crm: {},
			reconcile: { enabled: true, tag_ids: [ 9, 11 ] },
		} );
		const reconcilers = bridges.map(
			( { queue } ) =>
				new Reconciler(
					new PgRunStore( ( queue as PgQueue ).pool, () => now ),
					async () => settings,
					() => {},
					silent,
					() => now
				)
		);
		await Promise.all(
			reconcilers.map( ( reconciler ) => reconciler.tick() )
		);
		now += RECONCILE_INTERVAL_MS;
		const started = await Promise.all(
			reconcilers.map( ( reconciler ) => reconciler.tick() )
		);
		expect( started.flat() ).toHaveLength( 2 );
		expect( await bridges[ 0 ]?.runs.list( 10 ) ).toHaveLength( 2 );
	} );
} );
