/**
 * Durability: the bridge runs as its own process (`npx tsx bridge/src/cli.ts start`), is killed with
 * SIGKILL while a user write is in flight, and restarted. Every delivery it acknowledged must
 * end done, once, and Return Password must still hand the CRM the password WordPress used.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../dev/src/ports';
import { newMessageId } from '../src/signature';
import { bridgeCaller } from './support/signed-fetch';
import {
	OAUTH_REDIRECT,
	startStack,
	TEST_SECRET,
	type TestStack,
} from './support/stack';
import { DEMO_CLIENT } from '../../crm-sandbox/src';

const REPO_ROOT = path.resolve( __dirname, '../..' );
const CONTACTS = 12;

describe( 'bridge killed mid-burst', () => {
	let stack: TestStack;
	let port: number;
	let child: ChildProcess | null = null;
	let output = '';

	beforeAll( async () => {
		stack = await startStack();
		port = await freePort();
	} );

	afterAll( async () => {
		if ( child ) {
			try {
				killGroup( child, 'SIGKILL' );
			} catch {
				// The group is gone already: the test stopped it.
			}
		}
		await stack.close();
	} );

	async function startChild(): Promise< ChildProcess > {
		// `pulse-sync-source`: @pulse-sync/contracts from its TypeScript source, as jest reads it.
		const started = spawn(
			'npx',
			[
				'tsx',
				'--conditions=pulse-sync-source',
				'bridge/src/cli.ts',
				'start',
			],
			{
				cwd: REPO_ROOT,
				// Its own process group, so a kill reaches npx, tsx and node alike.
				detached: true,
				stdio: [ 'ignore', 'pipe', 'pipe' ],
				env: {
					...process.env,
					PULSE_SYNC_BRIDGE_HOST: '127.0.0.1',
					PULSE_SYNC_BRIDGE_PORT: String( port ),
					PULSE_SYNC_SITE_URL: stack.wordpress.url,
					PULSE_SYNC_BRIDGE_SECRET: TEST_SECRET,
					PULSE_SYNC_BRIDGE_DB: path.join( stack.dir, 'bridge.db' ),
					PULSE_SYNC_WORKERS: '3',
					PULSE_SYNC_RETRY_SCHEDULE: '100ms,200ms,400ms',
				},
			}
		);
		started.stdout?.on(
			'data',
			( chunk: Buffer ) => ( output += chunk.toString() )
		);
		started.stderr?.on(
			'data',
			( chunk: Buffer ) => ( output += chunk.toString() )
		);
		for ( let i = 0; i < 200; i++ ) {
			if ( await isHealthy( `http://127.0.0.1:${ port }/v1/health` ) ) {
				return started;
			}
			await sleep( 50 );
		}
		throw new Error( `bridge did not start:\n${ output }` );
	}

	it( 'completes every acknowledged delivery exactly once after a SIGKILL', async () => {
		const call = bridgeCaller( `http://127.0.0.1:${ port }`, TEST_SECRET );
		child = await startChild();
		const code = stack.sandbox.state.grants.issueCode(
			DEMO_CLIENT.id,
			OAUTH_REDIRECT
		);
		expect(
			(
				await call( 'POST', '/v1/crm/oauth/exchange', {
					code,
					redirect_uri: OAUTH_REDIRECT,
				} )
			).status
		).toBe( 200 );

		const contactIds = Array.from(
			{ length: CONTACTS },
			( _, i ) =>
				stack.sandbox.state.contacts.create( {
					email: `crash${ i }@example.com`,
					first_name: `C${ i }`,
				} ).id
		);
		// Each contact gets an add and an update; a slow site keeps several jobs in progress.
		const pending = contactIds.flatMap( ( contactId ) => [
			{
				id: newMessageId(),
				action: 'add',
				contact_id: contactId,
				params: { send_notification: true },
				wait_ms: 0,
			},
			{
				id: newMessageId(),
				action: 'update',
				contact_id: contactId,
				wait_ms: 0,
			},
		] );
		stack.wordpress.writeDelayMs = 40;
		let trigger: 'waiting' | 'armed' | 'fired' = 'waiting';
		const killed = new Promise< void >( ( resolve ) => {
			stack.wordpress.onWrite = () => {
				// Killed while this user write is in flight: its job is in progress, others queued.
				if ( trigger === 'armed' && child ) {
					trigger = 'fired';
					child.once( 'exit', () => resolve() );
					killGroup( child, 'SIGKILL' );
				}
			};
		} );

		const acknowledged = new Set< string >();
		const send = async () => {
			while ( pending.length > 0 ) {
				const batch = pending.slice( 0, 3 );
				const answers = await Promise.allSettled(
					batch.map( ( body ) =>
						call( 'POST', '/v1/deliveries', body )
					)
				);
				if (
					answers.some( ( answer ) => answer.status === 'rejected' )
				) {
					// The bridge is gone: what was not acknowledged stays with the sender (the plugin's spool).
					answers.forEach(
						( answer, i ) =>
							answer.status === 'fulfilled' &&
							acknowledged.add(
								( batch[ i ] as { id: string } ).id
							)
					);
					pending.splice(
						0,
						batch.length,
						...batch.filter(
							( _, i ) => answers[ i ]?.status === 'rejected'
						)
					);
					return;
				}
				for ( const answer of answers ) {
					expect(
						(
							answer as PromiseFulfilledResult< {
								status: number;
							} >
						 ).value.status
					).toBe( 202 );
				}
				batch.forEach( ( body ) => acknowledged.add( body.id ) );
				pending.splice( 0, batch.length );
				if ( trigger === 'waiting' && acknowledged.size >= CONTACTS ) {
					trigger = 'armed';
				}
				await sleep( 40 ); // a burst spread over time, so the kill lands in the middle of it
			}
		};
		await send();
		await killed;
		expect( acknowledged.size ).toBeGreaterThanOrEqual( CONTACTS );

		child = await startChild();
		await send(); // the rest, as the plugin's spool would hand them over
		expect( pending ).toHaveLength( 0 );

		for ( let i = 0; i < 200; i++ ) {
			const { json } = await call( 'GET', '/v1/status' );
			if ( json.queue.pending === 0 && json.queue.in_progress === 0 ) {
				break;
			}
			await sleep( 100 );
		}
		expect( output ).toContain( '"event":"queue.requeued_abandoned"' );

		const log = await call( 'GET', '/v1/deliveries?per_page=100' );
		const logged = log.json.items.map(
			( item: { id: string } ) => item.id
		);
		expect( new Set( logged ).size ).toBe( logged.length );
		for ( const id of acknowledged ) {
			expect(
				log.json.items.find(
					( item: { id: string } ) => item.id === id
				)?.state
			).toBe( 'done' );
		}
		for ( const contactId of contactIds ) {
			const user = stack.wordpress.users.get( contactId );
			expect( user ).toBeDefined();
			expect(
				stack.sandbox.state.contacts.get( contactId )?.fields
					.custom_password
			).toBe( user?.password );
		}
		for ( const { password } of stack.wordpress.users.values() ) {
			expect( output ).not.toContain( password as string );
		}

		// A graceful stop finishes or releases the running jobs and closes the database. npx
		// itself dies of the signal; the output closes once the bridge process has exited too.
		const outputClosed = new Promise( ( resolve ) =>
			child?.stdout?.once( 'close', resolve )
		);
		killGroup( child, 'SIGTERM' );
		await outputClosed;
		expect( output ).toContain( '"event":"bridge.stopped"' );
	}, 45_000 );
} );

function killGroup( child: ChildProcess, signal: NodeJS.Signals ): void {
	process.kill( -( child.pid as number ), signal );
}

function sleep( ms: number ): Promise< void > {
	return new Promise( ( resolve ) => setTimeout( resolve, ms ) );
}

async function isHealthy( url: string ): Promise< boolean > {
	try {
		return ( await fetch( url ) ).ok;
	} catch {
		return false;
	}
}
