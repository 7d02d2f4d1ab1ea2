/**
 * Import by tag on the whole stack: the panel's REST routes → the plugin → the bridge's signed
 * import routes → CRM sandbox pages (`contacts/tagged/?tag_id=N&page=P`) → the bridge's queue →
 * the plugin's user write into WordPress and MariaDB. On the stack of one bridge (SQLite), and on
 * three bridges sharing PostgreSQL (`PULSE_STACK_DB=postgres PULSE_STACK_BRIDGES=3`), where the
 * crash case kills two of them and the third goes on with the run.
 */
import { adminSession, type AdminSession } from './support/admin';
import { killBridge, startStackBridge, waitForQuiet } from './support/bridge';
import { startFleetBridge, stopFleetBridge } from './support/bridge-fleet';
import { clearFaults, control, newContacts } from './support/sandbox';
import { stack, usersForContact } from './support/stack';
import { sendWebhook } from './support/webhook';
import { waitUntil } from '../dev/src/wait';

interface Run {
	id: number;
	state: string;
	total: number | null;
	all_found: boolean;
	counts: Record< string, number >;
}

let admin: AdminSession;

beforeAll( async () => {
	admin = await adminSession();
	await waitForQuiet();
}, 180000 );

async function taggedContacts( count: number ): Promise< {
	tagId: number;
	ids: number[];
} > {
	const tag = await control< { id: number } >( 'POST', 'tags', {
		name: `Import ${ Date.now().toString( 36 ) }${ Math.random().toString( 36 ).slice( 2, 6 ) }`,
	} );
	return { tagId: tag.id, ids: await newContacts( count, [ tag.id ] ) };
}

async function startImport( tagId: number ): Promise< Run > {
	const answer = await admin.rest( 'POST', '/imports', {
		kind: 'import',
		tag_id: tagId,
	} );
	expect( answer.status ).toBe( 201 );
	return answer.json as Run;
}

async function runState( id: number ): Promise< Run > {
	const answer = await admin.rest( 'GET', `/imports/${ id }` );
	expect( answer.status ).toBe( 200 );
	return answer.json as Run;
}

async function completed( id: number, timeoutMs = 180000 ): Promise< Run > {
	let run: Run | null = null;
	await waitUntil(
		`import run ${ id } to complete`,
		async () => {
			run = await runState( id );
			return run.state === 'completed';
		},
		timeoutMs
	);
	return run as unknown as Run;
}

test( '40 contacts carrying the tag over 3 CRM pages become 40 users', async () => {
	const { tagId, ids } = await taggedContacts( 40 );
	const preview = await admin.rest(
		'GET',
		`/imports/preview?tag_id=${ tagId }`
	);
	expect( preview.json.contacts ).toBe( 40 );

	const run = await completed( ( await startImport( tagId ) ).id );
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
	for ( const id of ids ) {
		expect( usersForContact( id ) ).toHaveLength( 1 );
	}
	const log = await admin.rest(
		'GET',
		`/deliveries?contact_id=${ ids[ 0 ] }`
	);
	// The sandbox's global webhooks may have sent their own deliveries for the new contact.
	expect(
		log.json.items.map( ( item: { source: string } ) => item.source )
	).toContain( 'import' );
}, 240000 );

test( 'an import while add webhooks arrive for the same contacts gives exactly one user each', async () => {
	const { tagId, ids } = await taggedContacts( 30 );
	const [ started, answers ] = await Promise.all( [
		startImport( tagId ),
		Promise.all( ids.map( ( id ) => sendWebhook( 'add', id ) ) ),
	] );
	expect(
		answers.every(
			( answer ) => answer.status >= 200 && answer.status < 300
		)
	).toBe( true );
	const run = await completed( started.id );
	await waitForQuiet();
	expect( run.counts.found ).toBe( 30 );
	expect( run.counts.failed ).toBe( 0 );
	for ( const id of ids ) {
		expect( usersForContact( id ) ).toHaveLength( 1 );
	}
}, 300000 );

/**
 * SIGKILLs the bridge mid-import, as a crash does, and answers how to bring the stack back. One
 * bridge is started again at once (the run resumes from its cursor); of a fleet, bridges 1 and
 * 2 stay down until the run ends (bridge 3 takes the run's turns over).
 */
async function crashMidImport(): Promise< () => Promise< void > > {
	if ( stack().bridgeFleet === undefined ) {
		try {
			await killBridge( 'SIGKILL' );
		} finally {
			await startStackBridge();
		}
		return async () => {};
	}
	await stopFleetBridge( 1, 'SIGKILL' );
	await stopFleetBridge( 2, 'SIGKILL' );
	return async () => {
		await startFleetBridge( 1 );
		await startFleetBridge( 2 );
	};
}

test( 'the bridge SIGKILLed mid-import resumes where it was and ends with exactly one user per contact', async () => {
	const { tagId, ids } = await taggedContacts( 120 );
	// A slow CRM keeps the run on its pages long enough to be killed half-way through them.
	await control( 'POST', 'latency', { latency_ms: 300 } );
	try {
		const started = await startImport( tagId );
		await waitUntil(
			'the import to be half-way through its pages',
			async () => {
				const run = await runState( started.id );
				return ( run.counts.found ?? 0 ) > 0 && ! run.all_found;
			},
			60000
		);
		const restart = await crashMidImport();
		let run: Run;
		try {
			run = await completed( started.id, 240000 );
		} finally {
			await restart();
		}
		expect( run.counts ).toMatchObject( {
			found: 120,
			processed: 120,
			failed: 0,
		} );
		expect(
			( run.counts.created ?? 0 ) + ( run.counts.updated ?? 0 )
		).toBe( 120 );
		for ( const id of ids ) {
			expect( usersForContact( id ) ).toHaveLength( 1 );
		}
	} finally {
		await clearFaults();
	}
}, 360000 );
