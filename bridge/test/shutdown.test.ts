/**
 * SIGTERM / SIGINT on the real `pulse-sync-bridge start` process (compiled, as the package runs
 * it): it stops taking deliveries, lets a running job finish within the shutdown grace or puts
 * it back in the queue, and exits 0; a job cut off runs again at the next start, never lost.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../dev/src/ports';
import { DEMO_CLIENT } from '../../crm-sandbox/src';
import { newMessageId } from '../src/signature';
import { bridgeCaller } from './support/signed-fetch';
import {
	OAUTH_REDIRECT,
	startStack,
	TEST_SECRET,
	type TestStack,
} from './support/stack';

const BRIDGE_DIR = path.resolve( __dirname, '..' );

describe( 'bridge stopped by a signal', () => {
	let stack: TestStack;
	let port: number;
	let output = '';

	beforeAll( async () => {
		const build = spawnSync( 'npm', [ 'run', 'build', '--silent' ], {
			cwd: BRIDGE_DIR,
			encoding: 'utf8',
		} );
		if ( build.status !== 0 ) {
			throw new Error( `bridge build failed: ${ build.stderr }` );
		}
		stack = await startStack();
		port = await freePort();
	}, 120_000 );

	const children = new Set< ChildProcess >();

	afterAll( async () => {
		for ( const child of children ) {
			if ( child.exitCode === null && child.signalCode === null ) {
				child.kill( 'SIGKILL' );
			}
		}
		await stack.close();
	} );

	function start( graceMs: number ): Promise< ChildProcess > {
		const child = spawn(
			process.execPath,
			[
				path.join( BRIDGE_DIR, 'dist', 'cli.js' ),
				'start',
				'--data-dir',
				stack.dir,
				'--port',
				String( port ),
				'--shutdown-grace',
				`${ graceMs }ms`,
				'--retry-schedule',
				'100ms,200ms',
			],
			{
				stdio: [ 'ignore', 'pipe', 'pipe' ],
				env: {
					PATH: process.env.PATH,
					PULSE_SYNC_SITE_URL: stack.wordpress.url,
					PULSE_SYNC_BRIDGE_SECRET: TEST_SECRET,
				},
			}
		);
		children.add( child );
		child.stdout?.on( 'data', ( chunk: Buffer ) => ( output += chunk ) );
		child.stderr?.on( 'data', ( chunk: Buffer ) => ( output += chunk ) );
		return waitUntil( async () => {
			try {
				return (
					( await fetch( `http://127.0.0.1:${ port }/v1/ready` ) )
						.status === 200
				);
			} catch {
				return false;
			}
		} ).then( () => child );
	}

	const exitOf = ( child: ChildProcess ) =>
		new Promise< number | null >( ( resolve ) =>
			child.once( 'exit', ( code ) => resolve( code ) )
		);
	const call = () =>
		bridgeCaller( `http://127.0.0.1:${ port }`, TEST_SECRET );

	async function deliverAdd( email: string ): Promise< string > {
		const contact = stack.sandbox.state.contacts.create( {
			email,
			first_name: 'Sig',
		} );
		const id = newMessageId();
		const answer = await call()( 'POST', '/v1/deliveries', {
			id,
			action: 'add',
			contact_id: contact.id,
			wait_ms: 0,
		} );
		expect( answer.status ).toBe( 202 );
		return id;
	}

	async function stopDuringWrite(
		child: ChildProcess,
		signal: NodeJS.Signals
	): Promise< number | null > {
		const exited = exitOf( child );
		await new Promise< void >( ( resolve ) => {
			stack.wordpress.onWrite = () => {
				stack.wordpress.onWrite = () => {};
				child.kill( signal );
				resolve();
			};
		} );
		return exited;
	}

	it( 'connects the CRM first', async () => {
		const child = await start( 1000 );
		const code = stack.sandbox.state.grants.issueCode(
			DEMO_CLIENT.id,
			OAUTH_REDIRECT
		);
		expect(
			(
				await call()( 'POST', '/v1/crm/oauth/exchange', {
					code,
					redirect_uri: OAUTH_REDIRECT,
				} )
			).status
		).toBe( 200 );
		const exited = exitOf( child );
		child.kill( 'SIGTERM' );
		expect( await exited ).toBe( 0 );
	}, 30_000 );

	it( 'finishes a running job within the grace and exits 0 on SIGTERM', async () => {
		stack.wordpress.writeDelayMs = 300;
		output = '';
		const child = await start( 10_000 );
		const id = await deliverAdd( 'finish@example.com' );
		expect( await stopDuringWrite( child, 'SIGTERM' ) ).toBe( 0 );
		// Finished before the process stopped, not put back.
		expect( output ).not.toContain( '"event":"job.released"' );
		expect( output.indexOf( '"event":"job.done"' ) ).toBeGreaterThan(
			output.indexOf( '"event":"bridge.stopping"' )
		);
		expect( output.indexOf( '"event":"job.done"' ) ).toBeLessThan(
			output.indexOf( '"event":"bridge.stopped"' )
		);

		stack.wordpress.writeDelayMs = 0;
		const again = await start( 1000 );
		const delivery = await call()( 'GET', `/v1/deliveries/${ id }` );
		expect( delivery.json.state ).toBe( 'done' );
		expect( delivery.json.attempts ).toHaveLength( 1 );
		const exited = exitOf( again );
		again.kill( 'SIGINT' );
		expect( await exited ).toBe( 0 );
	}, 30_000 );

	it( 'puts a job that outlasts the grace back in the queue, exits 0, and runs it at the next start', async () => {
		stack.wordpress.writeDelayMs = 5000;
		output = '';
		const child = await start( 200 );
		const id = await deliverAdd( 'cutoff@example.com' );
		expect( await stopDuringWrite( child, 'SIGTERM' ) ).toBe( 0 );
		expect( output ).toContain( '"event":"job.released"' );

		stack.wordpress.writeDelayMs = 0;
		const again = await start( 1000 );
		await waitUntil(
			async () =>
				( await call()( 'GET', `/v1/deliveries/${ id }` ) ).json
					.state === 'done'
		);
		const contactId = ( await call()( 'GET', `/v1/deliveries/${ id }` ) )
			.json.contact_id;
		expect(
			[ ...stack.wordpress.users.values() ].filter(
				( user ) => user.contactId === contactId
			)
		).toHaveLength( 1 );
		const exited = exitOf( again );
		again.kill( 'SIGTERM' );
		expect( await exited ).toBe( 0 );
	}, 30_000 );

	it( 'refuses new deliveries while it stops', async () => {
		stack.wordpress.writeDelayMs = 2000;
		output = '';
		const child = await start( 3000 );
		await deliverAdd( 'busy@example.com' );
		const exited = exitOf( child );
		await new Promise< void >( ( resolve ) => {
			stack.wordpress.onWrite = () => {
				stack.wordpress.onWrite = () => {};
				resolve();
			};
		} );
		// A kept-alive connection opened before the signal may still carry a request.
		const agent = call();
		child.kill( 'SIGTERM' );
		await waitUntil( async () =>
			output.includes( '"event":"bridge.stopping"' )
		);
		const late = await agent( 'POST', '/v1/deliveries', {
			id: newMessageId(),
			action: 'add',
			contact_id: 999_999,
			wait_ms: 0,
		} ).catch( () => ( { status: 0 } ) );
		// 503 on a connection still open, or no connection at all: never accepted (202).
		expect( [ 0, 503 ] ).toContain( late.status );
		expect( await exited ).toBe( 0 );
		stack.wordpress.writeDelayMs = 0;
	}, 30_000 );
} );

async function waitUntil(
	condition: () => Promise< boolean >
): Promise< void > {
	for ( let i = 0; i < 300; i++ ) {
		if ( await condition() ) {
			return;
		}
		await new Promise( ( resolve ) => setTimeout( resolve, 50 ) );
	}
	throw new Error( 'condition not met in 15 s' );
}
