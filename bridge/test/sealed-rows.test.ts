import { SqliteTokenStore, type TokenKey } from '../src/crm-token-store';
import { openDatabase, type Db } from '../src/database';
import { passwordContext } from '../src/jobs/sync-user';
import { migrate } from '../src/queue/schema';
import { resealLegacyRows } from '../src/sealed-rows';
import { SecretBox } from '../src/secret-box';

const SECRET = `whsec_${ Buffer.alloc( 32, 9 ).toString( 'base64' ) }`;
/** Written by 0.1.0 under SECRET: a token row keyed by account URL only, and a job password. */
const LEGACY_TOKENS =
	'v1.Jm38rWMoZnOA1QEyLgYCtwfMPIQsKBiT0PLp93y5weE3LjBlJWAV/3ZuD6wNwj3HFbUCOcXNPGp8KDjEtQFe6/5yLFpBlDg2Q3aaqNww461arqPOx9rbyJAbMXIKOaVvzI+P3YxE8tPEhAYqVb9P+vdGdYfu';
const LEGACY_PASSWORD =
	'v1.juiQ+HZKgdmqRUy3WTAXrTQisOFy/iV0rmSzNcElYGQaEU5r0aXleRzHNiAp+LboKg==';
/** The last schema version of 0.1.0. */
const SCHEMA_0_1_0 = 3;
const ACCOUNT = 'https://acme.example';
const KEY: TokenKey = {
	accountUrl: ACCOUNT,
	portalUrl: 'https://portal.acme.example',
	clientId: 'client-1',
};

describe( 'upgrading a 0.1.0 database', () => {
	let db: Db;
	const boxes = {
		tokens: new SecretBox( SECRET, 'crm-tokens-v1' ),
		passwords: new SecretBox( SECRET, 'job-password-v1' ),
	};

	beforeEach( () => {
		db = openDatabase( ':memory:' );
		migrate( db, SCHEMA_0_1_0 );
		db.prepare(
			'INSERT INTO crm_tokens (account_url, sealed) VALUES (?, ?)'
		).run( ACCOUNT, LEGACY_TOKENS );
		db.prepare(
			`INSERT INTO jobs (id, contact_id, action, send_notification, primary_delivery_id, request_id, state, next_attempt_at, sealed_password)
			VALUES (7, 1, 'add', 0, 'msg_a', 'msg_a', 'queued', 0, ?)`
		).run( LEGACY_PASSWORD );
		migrate( db );
	} );
	afterEach( () => db.close() );

	it( 'seals every legacy value again, bound to its row, once', () => {
		expect( resealLegacyRows( db, boxes ) ).toBe( 2 );
		expect( resealLegacyRows( db, boxes ) ).toBe( 0 );
		const job = db
			.prepare( 'SELECT sealed_password FROM jobs WHERE id = 7' )
			.get() as { sealed_password: string };
		expect( SecretBox.isLegacy( job.sealed_password ) ).toBe( false );
		expect(
			boxes.passwords.open( job.sealed_password, passwordContext( 7 ) )
		).toBe( 'Legacy-Password-1234!' );
		expect( () =>
			boxes.passwords.open( job.sealed_password, passwordContext( 8 ) )
		).toThrow();
	} );

	it( 'hands the legacy tokens to the first credentials of their account, and only to them', () => {
		resealLegacyRows( db, boxes );
		const store = ( key: TokenKey ) =>
			new SqliteTokenStore( db, boxes.tokens, key );
		expect(
			store( { ...KEY, accountUrl: 'https://other.example' } ).load()
		).toBeNull();
		expect( store( KEY ).load() ).toEqual( {
			accessToken: 'legacy-access',
			refreshToken: 'legacy-refresh',
			expiresAt: 1_900_000_000_000,
		} );
		expect(
			store( { ...KEY, portalUrl: 'https://evil.example' } ).load()
		).toBeNull();
		expect(
			db
				.prepare(
					'SELECT account_url, portal_url, client_id FROM crm_tokens'
				)
				.all()
		).toEqual( [
			{
				account_url: ACCOUNT,
				portal_url: KEY.portalUrl,
				client_id: KEY.clientId,
			},
		] );
	} );

	it( 'leaves a value it cannot open (another secret) as it was, unusable', () => {
		const other = new SecretBox(
			`whsec_${ Buffer.alloc( 32, 1 ).toString( 'base64' ) }`,
			'crm-tokens-v1'
		);
		expect(
			resealLegacyRows( db, { tokens: other, passwords: other } )
		).toBe( 0 );
		expect( new SqliteTokenStore( db, other, KEY ).load() ).toBeNull();
	} );
} );
