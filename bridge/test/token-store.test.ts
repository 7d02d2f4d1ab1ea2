/* Tests src/crm-token-store.ts; named without "crm" so the core suite (which skips the CRM client's tests by that word) runs it. */
import { SqliteTokenStore, type TokenKey } from '../src/crm-token-store';
import { openDatabase, type Db } from '../src/database';
import { migrate } from '../src/queue/schema';
import { SecretBox } from '../src/secret-box';

const secret = ( fill: number ) =>
	`whsec_${ Buffer.alloc( 32, fill ).toString( 'base64' ) }`;
const TOKENS = {
	accessToken: 'access-123',
	refreshToken: 'refresh-456',
	expiresAt: 1_900_000_000_000,
};
const A: TokenKey = {
	accountUrl: 'https://a.example',
	portalUrl: 'https://portal.a.example',
	clientId: 'client-a',
};

describe( 'SqliteTokenStore', () => {
	let db: Db;
	beforeEach( () => {
		db = openDatabase( ':memory:' );
		migrate( db );
	} );
	afterEach( () => db.close() );

	const store = ( key: TokenKey, fill = 1 ) =>
		new SqliteTokenStore(
			db,
			new SecretBox( secret( fill ), 'crm-tokens-v1' ),
			key
		);

	it( 'keeps tokens per account, encrypted, and forgets them on save(null)', () => {
		store( A ).save( TOKENS );
		expect( store( A ).load() ).toEqual( TOKENS );
		expect(
			store( { ...A, accountUrl: 'https://b.example' } ).load()
		).toBeNull();
		const raw = JSON.stringify(
			db.prepare( 'SELECT * FROM crm_tokens' ).all()
		);
		expect( raw ).not.toContain( 'access-123' );
		expect( raw ).not.toContain( 'refresh-456' );
		store( A ).save( { ...TOKENS, accessToken: 'access-789' } );
		expect( store( A ).load()?.accessToken ).toBe( 'access-789' );
		store( A ).save( null );
		expect( store( A ).load() ).toBeNull();
	} );

	it( 'gives the tokens to neither another portal nor another client id of the same account', () => {
		store( A ).save( TOKENS );
		expect(
			store( { ...A, portalUrl: 'https://evil.example' } ).load()
		).toBeNull();
		expect( store( { ...A, portalUrl: '' } ).load() ).toBeNull();
		expect( store( { ...A, clientId: 'client-b' } ).load() ).toBeNull();
		expect( store( A ).load() ).toEqual( TOKENS );
	} );

	it( 'a token row copied under another portal does not decrypt', () => {
		store( A ).save( TOKENS );
		db.prepare(
			`INSERT INTO crm_tokens (account_url, portal_url, client_id, sealed)
			SELECT account_url, 'https://evil.example', client_id, sealed FROM crm_tokens`
		).run();
		expect(
			store( { ...A, portalUrl: 'https://evil.example' } ).load()
		).toBeNull();
	} );

	it( 'reads tokens sealed under another bridge secret as "not connected"', () => {
		store( A, 1 ).save( TOKENS );
		expect( store( A, 2 ).load() ).toBeNull();
	} );

	it( 'forgetAll deletes the tokens of every account, portal and client', () => {
		store( A ).save( TOKENS );
		store( { ...A, clientId: 'client-b' } ).save( TOKENS );
		store( { ...A, accountUrl: 'https://b.example' } ).save( TOKENS );
		expect( SqliteTokenStore.forgetAll( db ) ).toBe( 3 );
		expect( store( A ).load() ).toBeNull();
		expect(
			db.prepare( 'SELECT COUNT(*) AS n FROM crm_tokens' ).get()
		).toEqual( { n: 0 } );
	} );

	it( 'keeps the CRM connection across a re-pair: tokens sealed under the previous secret open and are sealed again', () => {
		store( A, 1 ).save( TOKENS );
		const before = db.prepare( 'SELECT sealed FROM crm_tokens' ).get();
		let secrets = [ secret( 2 ), secret( 1 ) ];
		const rotated = new SqliteTokenStore(
			db,
			new SecretBox( () => secrets, 'crm-tokens-v1' ),
			A
		);
		expect( rotated.load() ).toEqual( TOKENS );
		expect(
			db.prepare( 'SELECT sealed FROM crm_tokens' ).get()
		).not.toEqual( before );
		// Sealed under the new secret now: the next rotation drops the first secret.
		secrets = [ secret( 3 ), secret( 2 ) ];
		expect( rotated.load() ).toEqual( TOKENS );
		expect( store( A, 1 ).load() ).toBeNull();
	} );
} );
