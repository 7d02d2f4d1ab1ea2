/**
 * Regression (issue 12, the bridge's memory): a bridge on SQLite, the default, loaded the
 * PostgreSQL driver and pg-boss at start through the static imports of its stores, of the shared
 * site registry and of `check`: about 12 MB of memory it never used (README, "The bridge's
 * memory"). They are now required only when a database is configured (stores.ts,
 * sites/open-registry.ts, cli/checks.ts).
 *
 * The modules under test are required inside the tests, after the mocks that record what loads:
 * an import at the top would load them before the record exists.
 */
import type * as BridgeModule from '../src/index';
import type * as PostgresSupport from './support/postgres';
import type * as StackSupport from './support/stack';

const mockLoaded = new Set< string >();
jest.mock( 'pg', () => {
	mockLoaded.add( 'pg' );
	return jest.requireActual( 'pg' );
} );
jest.mock( 'pg-boss', () => {
	mockLoaded.add( 'pg-boss' );
	return jest.requireActual( 'pg-boss' );
} );

// The command line's modules too: the `start` command runs from them.
require( '../src/cli/run' );
const { startBridge } = require( '../src/index' ) as typeof BridgeModule;
const { capturingLogger, startStack } =
	require( './support/stack' ) as typeof StackSupport;

let stack: StackSupport.TestStack;

beforeAll( async () => {
	stack = await startStack();
} );

afterAll( async () => {
	await stack.close();
} );

/** Starts a bridge on `config`, checks it is ready, stops it. */
async function startAndStop(
	config: StackSupport.TestStack[ 'config' ]
): Promise< void > {
	const bridge = await startBridge( config, {
		logger: capturingLogger(),
		shutdownGraceMs: 500,
	} );
	try {
		expect( ( await fetch( `${ bridge.url }/v1/ready` ) ).status ).toBe(
			200
		);
	} finally {
		await bridge.close();
	}
}

it( 'a bridge on SQLite starts without loading pg or pg-boss', async () => {
	await startAndStop( stack.config );
	expect( [ ...mockLoaded ] ).toEqual( [] );
} );

// The control: the same record sees them when the bridge needs them.
it( 'a bridge on PostgreSQL loads pg-boss', async () => {
	const { freshDatabase } =
		require( './support/postgres' ) as typeof PostgresSupport;
	await startAndStop( {
		...stack.config,
		databaseUrl: await freshDatabase(),
	} );
	expect( mockLoaded ).toContain( 'pg-boss' );
} );
