import {
	ContactNotFoundError,
	TransientError,
	type CrmContact,
	type CrmTag,
} from '../../src/crm';
import { classifyFailure } from '../../src/jobs/failure';
import {
	passwordContext,
	syncUser,
	type CrmApi,
	type SyncDeps,
} from '../../src/jobs/sync-user';
import type { ClaimedJob } from '../../src/queue/queue';
import { SecretBox, SecretBoxError } from '../../src/secret-box';
import type { BridgeSettings } from '../../src/settings';
import type { UserWrite, UserWriteAnswer } from '../../src/wordpress/client';

const SECRET = `whsec_${ Buffer.alloc( 32, 5 ).toString( 'base64' ) }`;

/** A unit-test stand-in for the CRM client (the integration tests use the real one and the sandbox). */
class FakeCrm implements CrmApi {
	contacts = new Map< number, CrmContact >();
	tags = new Map< number, CrmTag[] >();
	tagFailure: Error | null = null;
	updates: { id: number; fields: Record< string, string > }[] = [];

	async getContact( id: number ): Promise< CrmContact > {
		const contact = this.contacts.get( id );
		if ( ! contact ) {
			throw new ContactNotFoundError( id );
		}
		return contact;
	}

	async getContactTags( id: number ): Promise< CrmTag[] > {
		if ( this.tagFailure ) {
			throw this.tagFailure;
		}
		return this.tags.get( id ) ?? [];
	}

	async updateContact(
		id: number,
		fields: Record< string, string >
	): Promise< void > {
		this.updates.push( { id, fields } );
	}
}

const settings = ( returnPassword = true ): BridgeSettings => ( {
	rev: '1',
	fieldMapping: [
		{ wp: 'user_email', crm: 'email' },
		{ wp: 'first_name', crm: 'first_name' },
		{ wp: 'user_pass', crm: 'crm_password' },
	],
	returnPassword: { enabled: returnPassword, field: 'custom_password' },
	reconcile: { enabled: false, tagIds: [] },
	crm: {
		accountUrl: 'http://crm.test',
		portalUrl: '',
		clientId: 'id',
		clientSecret: 'secret',
	},
} );

function job( overrides: Partial< ClaimedJob > = {} ): ClaimedJob {
	return {
		id: 1,
		contactId: 7,
		intent: { action: 'add', sendNotification: true, role: 'customer' },
		requestId: 'msg_00000000000000000000000000000001',
		previousAttempts: 0,
		sealedPassword: null,
		...overrides,
	};
}

describe( 'syncUser', () => {
	let crm: FakeCrm;
	let writes: UserWrite[];
	let stored: string[];
	let answer: UserWriteAnswer;
	let deps: SyncDeps;
	const box = new SecretBox( SECRET, 'job-password-v1' );

	beforeEach( () => {
		crm = new FakeCrm();
		crm.contacts.set( 7, {
			id: 7,
			email: 'ann@example.com',
			first_name: 'Ann',
		} );
		crm.tags.set( 7, [
			{ id: 3, name: 'Member' },
			{ id: 5, name: 'VIP' },
		] );
		writes = [];
		stored = [];
		answer = { status: 'created', user_id: 12, password_used: true };
		deps = {
			settings: async () => settings(),
			crm: () => crm,
			writeUser: async ( write ) => {
				// The password must already be stored when WordPress may use it.
				expect(
					stored.length > 0 || write.generated_password === null
				).toBe( true );
				writes.push( write );
				return answer;
			},
			storePassword: async ( _jobId, sealed ) => {
				stored.push( sealed );
			},
			passwordBox: box,
		};
	} );

	it( 'writes the mapped user with tags, then returns the generated password to the CRM', async () => {
		const notes = { email: null };
		const result = await syncUser( job(), deps, notes );
		expect( result ).toEqual( { status: 'created', userId: 12 } );
		expect( notes.email ).toBe( 'ann@example.com' );
		const [ write ] = writes;
		expect( write ).toMatchObject( {
			delivery_id: 'msg_00000000000000000000000000000001',
			action: 'add',
			contact_id: 7,
			email: 'ann@example.com',
			user: { user_email: 'ann@example.com', first_name: 'Ann' },
			meta: {},
			role: 'customer',
			tags: [ 3, 5 ],
			send_notification: true,
		} );
		const password = write?.generated_password as string;
		expect( password.length ).toBeGreaterThanOrEqual( 20 );
		expect( box.open( stored[ 0 ] as string, passwordContext( 1 ) ) ).toBe(
			password
		);
		expect( crm.updates ).toEqual( [
			{ id: 7, fields: { custom_password: password } },
		] );
	} );

	it( 'reuses the stored password on a later attempt', async () => {
		const sealed = box.seal(
			'Earlier-Password-1234!',
			passwordContext( 1 )
		);
		stored.push( sealed ); // by the earlier attempt
		await syncUser(
			job( { sealedPassword: sealed, previousAttempts: 1 } ),
			deps,
			{ email: null }
		);
		expect( stored ).toEqual( [ sealed ] );
		expect( writes[ 0 ]?.generated_password ).toBe(
			'Earlier-Password-1234!'
		);
		expect( crm.updates[ 0 ]?.fields.custom_password ).toBe(
			'Earlier-Password-1234!'
		);
	} );

	it( 'a password sealed for another job does not open in this one', async () => {
		const sealed = box.seal(
			'Other-Job-Password-1234!',
			passwordContext( 2 )
		);
		await expect(
			syncUser(
				job( { sealedPassword: sealed, previousAttempts: 1 } ),
				deps,
				{
					email: null,
				}
			)
		).rejects.toBeInstanceOf( SecretBoxError );
		expect( writes ).toEqual( [] );
		expect( crm.updates ).toEqual( [] );
	} );

	it( 'still sends a stored password after Return Password was turned off, but not to the CRM', async () => {
		// WordPress may have used it in an attempt that died; a new password would not match.
		deps.settings = async () => settings( false );
		const sealed = box.seal(
			'Earlier-Password-1234!',
			passwordContext( 1 )
		);
		stored.push( sealed ); // by the earlier attempt
		await syncUser(
			job( { sealedPassword: sealed, previousAttempts: 1 } ),
			deps,
			{ email: null }
		);
		expect( writes[ 0 ]?.generated_password ).toBe(
			'Earlier-Password-1234!'
		);
		expect( crm.updates ).toEqual( [] );
	} );

	it( 'does not write to the CRM when WordPress did not use the password', async () => {
		answer = { status: 'updated', user_id: 12, password_used: false };
		await syncUser( job(), deps, { email: null } );
		expect( crm.updates ).toEqual( [] );
	} );

	it( 'generates no password when Return Password is off, for updates, or when the CRM supplies one', async () => {
		deps.settings = async () => settings( false );
		await syncUser( job(), deps, { email: null } );
		deps.settings = async () => settings( true );
		await syncUser(
			job( {
				intent: {
					action: 'update',
					sendNotification: false,
					role: null,
				},
			} ),
			deps,
			{ email: null }
		);
		crm.contacts.set( 7, {
			id: 7,
			email: 'ann@example.com',
			crm_password: 'from-the-crm',
		} );
		await syncUser( job(), deps, { email: null } );
		expect( writes.map( ( write ) => write.generated_password ) ).toEqual( [
			null,
			null,
			null,
		] );
		expect( writes[ 2 ]?.user.user_pass ).toBe( 'from-the-crm' );
		expect( crm.updates ).toEqual( [] );
	} );

	it( 'sends only tags for update_tags', async () => {
		await syncUser(
			job( {
				intent: {
					action: 'update_tags',
					sendNotification: false,
					role: 'customer',
				},
			} ),
			deps,
			{
				email: null,
			}
		);
		expect( writes[ 0 ] ).toMatchObject( {
			action: 'update_tags',
			user: {},
			meta: {},
			role: null,
			tags: [ 3, 5 ],
		} );
	} );

	it( 'fails an unknown contact with contact_not_found / 404, without calling WordPress', async () => {
		const failure = classifyFailure(
			await syncUser( job( { contactId: 99 } ), deps, {
				email: null,
			} ).catch( ( e ) => e )
		);
		expect( failure ).toMatchObject( {
			retryable: false,
			error: { code: 'contact_not_found', httpStatus: 404 },
		} );
		expect( writes ).toEqual( [] );
	} );

	it( 'fails an add without a usable email with invalid_email / 422', async () => {
		crm.contacts.set( 7, { id: 7, first_name: 'Ann' } );
		const failure = classifyFailure(
			await syncUser( job(), deps, { email: null } ).catch( ( e ) => e )
		);
		expect( failure ).toMatchObject( {
			retryable: false,
			error: { code: 'invalid_email', httpStatus: 422 },
		} );
		expect( writes ).toEqual( [] );
		expect( stored ).toEqual( [] );
	} );

	it( 'asks for the contact and its tags at once, not one after the other', async () => {
		crm.contacts.set( 7, { id: 7, email: 'ann@example.com' } );
		const calls: string[] = [];
		const getContact = crm.getContact.bind( crm );
		const getContactTags = crm.getContactTags.bind( crm );
		crm.getContact = async ( id ) => {
			calls.push( 'contact asked' );
			await new Promise( ( resolve ) => setImmediate( resolve ) );
			calls.push( 'contact answered' );
			return getContact( id );
		};
		crm.getContactTags = async ( id ) => {
			calls.push( 'tags asked' );
			return getContactTags( id );
		};
		await syncUser( job(), deps, { email: null } );
		expect( calls ).toEqual( [
			'contact asked',
			'tags asked',
			'contact answered',
		] );
	} );

	it( 'fails with contact_not_found when the tag request is the first to learn the contact is gone', async () => {
		crm.contacts.set( 7, { id: 7, email: 'ann@example.com' } );
		crm.tagFailure = new ContactNotFoundError( 7 );
		const failure = classifyFailure(
			await syncUser( job(), deps, { email: null } ).catch( ( e ) => e )
		);
		expect( failure ).toMatchObject( {
			retryable: false,
			error: { code: 'contact_not_found', httpStatus: 404 },
		} );
		expect( writes ).toEqual( [] );
	} );

	it( 'treats a failed tag load as a failed, retryable attempt, never as "no tags"', async () => {
		crm.tagFailure = new TransientError(
			'CRM answered 503',
			'server_error',
			503
		);
		const failure = classifyFailure(
			await syncUser( job(), deps, { email: null } ).catch( ( e ) => e )
		);
		expect( failure ).toMatchObject( {
			retryable: true,
			error: { code: 'crm_server_error' },
		} );
		expect( writes ).toEqual( [] );
	} );

	it( 'waits for the CRM credentials when none are set', async () => {
		deps.crm = () => null;
		const failure = classifyFailure(
			await syncUser( job(), deps, { email: null } ).catch( ( e ) => e )
		);
		expect( failure ).toMatchObject( {
			retryable: true,
			error: { code: 'crm_not_configured' },
		} );
	} );
} );
