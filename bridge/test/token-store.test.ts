/* Tests src/crm-token-store.ts; named without "crm" so the core suite (which skips the CRM client's tests by that word) runs it. */
import { SqliteTokenStore } from '../src/crm-token-store';
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

describe( 'SqliteTokenStore', () => {
	let db: Db;
	beforeEach( () => {
		db = openDatabase( ':memory:' );
		migrate( db );
	} );
	afterEach( () => db.close() );

	const store = ( account: string, fill = 1 ) =>
		new SqliteTokenStore(
			db,
			new SecretBox( secret( fill ), 'crm-tokens-v1' ),
			account
		);

	it( 'keeps tokens per account, encrypted, and forgets them on save(null)', () => {
		store( 'https://a.example' ).save( TOKENS );
		expect( store( 'https://a.example' ).load() ).toEqual( TOKENS );
		expect( store( 'https://b.example' ).load() ).toBeNull();
		const raw = JSON.stringify(
			db.prepare( 'SELECT * FROM crm_tokens' ).all()
		);
		expect( raw ).not.toContain( 'access-123' );
		expect( raw ).not.toContain( 'refresh-456' );
		store( 'https://a.example' ).save( {
			...TOKENS,
			accessToken: 'access-789',
		} );
		expect( store( 'https://a.example' ).load()?.accessToken ).toBe(
			'access-789'
		);
		store( 'https://a.example' ).save( null );
		expect( store( 'https://a.example' ).load() ).toBeNull();
	} );

	it( 'reads tokens sealed under another bridge secret as "not connected"', () => {
		store( 'https://a.example', 1 ).save( TOKENS );
		expect( store( 'https://a.example', 2 ).load() ).toBeNull();
	} );

	it( 'keeps the CRM connection across a re-pair: tokens sealed under the previous secret open and are sealed again', () => {
		store( 'https://a.example', 1 ).save( TOKENS );
		const before = db.prepare( 'SELECT sealed FROM crm_tokens' ).get();
		let secrets = [ secret( 2 ), secret( 1 ) ];
		const rotated = new SqliteTokenStore(
			db,
			new SecretBox( () => secrets, 'crm-tokens-v1' ),
			'https://a.example'
		);
		expect( rotated.load() ).toEqual( TOKENS );
		expect(
			db.prepare( 'SELECT sealed FROM crm_tokens' ).get()
		).not.toEqual( before );
		// Sealed under the new secret now: the next rotation drops the first secret.
		secrets = [ secret( 3 ), secret( 2 ) ];
		expect( rotated.load() ).toEqual( TOKENS );
		expect( store( 'https://a.example', 1 ).load() ).toBeNull();
	} );
} );
