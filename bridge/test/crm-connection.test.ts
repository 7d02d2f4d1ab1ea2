import { DEMO_CLIENT } from '../../crm-sandbox/src';
import { NotConnectedError } from '../src/crm';
import { CrmConnection } from '../src/crm-connection';
import { SqliteTokenStore, sqliteTokenVault } from '../src/crm-token-store';
import { openDatabase, type Db } from '../src/database';
import { migrate } from '../src/queue/schema';
import { SecretBox } from '../src/secret-box';
import type { CrmCredentials } from '../src/settings';
import {
	REDIRECT_URI,
	startContractSandbox,
	type ContractSandbox,
} from './crm/helpers';

const SECRET = `whsec_${ Buffer.alloc( 32, 5 ).toString( 'base64' ) }`;

/** Two real CRM sandboxes over HTTP: the owner's portal, and the host the portal URL is changed to. */
let portalA: ContractSandbox;
let portalB: ContractSandbox;
let db: Db;
let box: SecretBox;
let connection: CrmConnection;

beforeAll( async () => {
	[ portalA, portalB ] = await Promise.all( [
		startContractSandbox(),
		startContractSandbox(),
	] );
} );
afterAll( () => Promise.all( [ portalA.close(), portalB.close() ] ) );
beforeEach( async () => {
	await Promise.all( [
		portalA.control( 'POST', 'reset' ),
		portalB.control( 'POST', 'reset' ),
	] );
	db = openDatabase( ':memory:' );
	migrate( db );
	box = new SecretBox( SECRET, 'crm-tokens-v1' );
	connection = new CrmConnection(
		sqliteTokenVault( db, box ),
		{ concurrency: 2, ceiling: null },
		{ log: () => undefined },
		{ timeoutMs: 2000, maxRetries: 0 }
	);
} );
afterEach( () => db.close() );

const credentials = (
	overrides: Partial< CrmCredentials > = {}
): CrmCredentials => ( {
	accountUrl: portalA.sandbox.url,
	portalUrl: portalA.sandbox.url,
	clientId: DEMO_CLIENT.id,
	clientSecret: DEMO_CLIENT.secret,
	...overrides,
} );

/** Connects through portal A, then makes the access token due for a refresh. */
async function connectWithExpiredAccessToken(): Promise< void > {
	const { code } = await portalA.control( 'POST', 'oauth/code', {
		client_id: DEMO_CLIENT.id,
		redirect_uri: REDIRECT_URI,
	} );
	await connection
		.client( credentials() )!
		.exchangeCode( code, REDIRECT_URI );
	const store = new SqliteTokenStore( db, box, credentials() );
	store.save( { ...store.load()!, expiresAt: Date.now() - 60_000 } );
}

describe( 'CrmConnection', () => {
	it( 'changing the portal URL does not send the refresh token to the new host', async () => {
		await connectWithExpiredAccessToken();
		await portalB.resetLog();

		const moved = connection.client(
			credentials( { portalUrl: portalB.sandbox.url } )
		)!;
		expect( await moved.isConnected() ).toBe( false );
		await expect( moved.getContact( 1 ) ).rejects.toBeInstanceOf(
			NotConnectedError
		);
		// Nothing reached the new host: no refresh token, no client secret.
		expect( await portalB.counters() ).toEqual( {} );

		// Back on the portal that issued them, the tokens still work (refreshed there).
		await portalA.resetLog();
		const back = connection.client( credentials() )!;
		await expect( back.getContact( 1 ) ).resolves.toMatchObject( {
			id: 1,
		} );
		expect( ( await portalA.counters() )[ 'POST /oauth/token' ] ).toBe( 1 );
	} );

	it( 'changing the client id does not send the refresh token with the new client', async () => {
		await connectWithExpiredAccessToken();
		await portalA.resetLog();
		const other = connection.client(
			credentials( { clientId: 'another-client', clientSecret: 'x' } )
		)!;
		await expect( other.getContact( 1 ) ).rejects.toBeInstanceOf(
			NotConnectedError
		);
		expect( await portalA.counters() ).toEqual( {} );
	} );

	it( 'disconnect deletes the tokens of every account and portal the bridge holds', async () => {
		await connectWithExpiredAccessToken();
		new SqliteTokenStore(
			db,
			box,
			credentials( { portalUrl: portalB.sandbox.url } )
		).save( {
			accessToken: 'a',
			refreshToken: 'r',
			expiresAt: Date.now() + 3_600_000,
		} );
		expect( await connection.disconnect() ).toBe( 2 );
		expect( ( await connection.status( credentials() ) ).connected ).toBe(
			false
		);
		expect(
			await connection
				.client( credentials( { portalUrl: portalB.sandbox.url } ) )!
				.isConnected()
		).toBe( false );
	} );
} );
