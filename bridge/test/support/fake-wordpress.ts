import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureError, Signer } from '../../src/signature';
import type { UserWrite, UserWriteAnswer } from '../../src/wordpress/client';

/**
 * A stand-in for the plugin's bridge routes, for the bridge's own tests: it checks signatures
 * (and refuses a replayed webhook-id) as the plugin does,
 * serves settings, records the user writes (and how they were batched) and keeps a tiny user
 * table with the contract's rules (find by contact id, create on add, skip update without user,
 * repeat of a delivery_id answered from its record). The plugin's real behaviour is tested against real WordPress in
 * the plugin's and the stack's test suites.
 */
export interface FakeUser {
	userId: number;
	contactId: number;
	email: string;
	user: Record< string, string >;
	meta: Record< string, string >;
	tags: number[];
	password: string | null;
}

export interface FakeSettings {
	rev: string | number;
	field_mapping: { wp: string; crm: string }[];
	return_password: { enabled: boolean; field: string };
	crm: {
		account_url: string;
		portal_url: string;
		client_id: string;
		client_secret: string;
	};
	reconcile?: { enabled: boolean; tag_ids: number[] };
}

export class FakeWordPress {
	/** Every user write received, in order. */
	readonly writes: UserWrite[] = [];
	/** The writes of each request: one entry per `POST /bridge/users`. */
	readonly batches: UserWrite[][] = [];
	readonly users = new Map< number, FakeUser >();
	settingsFetches = 0;
	unsignedRequests = 0;
	/** Answer the next N user-write requests (all of their writes) with 503. */
	failWrites = 0;
	writeDelayMs = 0;
	/** Called for each user write as its request arrives, before it is answered. */
	onWrite: ( write: UserWrite ) => void = () => {};
	private readonly answered = new Map< string, UserWriteAnswer >();
	private nextUserId = 1;
	private server: http.Server | null = null;
	url = '';

	constructor(
		private readonly signer: Signer,
		public settings: FakeSettings
	) {}

	async start(): Promise< string > {
		this.server = http.createServer(
			( request, response ) => void this.handle( request, response )
		);
		await new Promise< void >( ( resolve ) =>
			this.server?.listen( 0, '127.0.0.1', resolve )
		);
		this.url = `http://127.0.0.1:${ ( this.server.address() as AddressInfo ).port }`;
		return this.url;
	}

	async close(): Promise< void > {
		this.server?.closeAllConnections();
		await new Promise( ( resolve ) => this.server?.close( resolve ) );
	}

	private async handle(
		request: http.IncomingMessage,
		response: http.ServerResponse
	): Promise< void > {
		const chunks: Buffer[] = [];
		for await ( const chunk of request ) {
			chunks.push( chunk as Buffer );
		}
		const body = Buffer.concat( chunks ).toString( 'utf8' );
		const reply = ( status: number, json: unknown ): void => {
			response
				.writeHead( status, { 'content-type': 'application/json' } )
				.end( JSON.stringify( json ) );
		};
		const url = new URL( request.url ?? '/', 'http://wordpress' );
		try {
			this.signer.verify(
				{
					method: request.method ?? 'GET',
					// What the plugin verifies: the REST route, without /wp-json.
					path: url.pathname.replace( /^\/wp-json/, '' ),
					query: url.searchParams,
					body,
				},
				request.headers
			);
		} catch ( error ) {
			if ( error instanceof SignatureError ) {
				this.unsignedRequests++;
				reply( 401, { code: 'pulse_sync_bad_signature' } );
				return;
			}
			throw error;
		}
		if (
			request.method === 'GET' &&
			request.url === '/wp-json/pulse-sync/v1/bridge/settings'
		) {
			this.settingsFetches++;
			reply( 200, this.settings );
			return;
		}
		if (
			request.method === 'POST' &&
			request.url === '/wp-json/pulse-sync/v1/bridge/users'
		) {
			const { writes } = JSON.parse( body ) as { writes: UserWrite[] };
			this.batches.push( writes );
			this.writes.push( ...writes );
			writes.forEach( ( write ) => this.onWrite( write ) );
			if ( this.writeDelayMs > 0 ) {
				await new Promise( ( resolve ) =>
					setTimeout( resolve, this.writeDelayMs )
				);
			}
			if ( this.failWrites > 0 ) {
				this.failWrites--;
				reply( 503, { code: 'unavailable' } );
				return;
			}
			reply( 200, {
				results: writes.map( ( write ) => this.answer( write ) ),
			} );
			return;
		}
		if (
			request.method === 'GET' &&
			url.pathname === '/wp-json/pulse-sync/v1/bridge/linked-contacts'
		) {
			// Keyset by contact id, as the plugin pages its lookup index.
			const after = Number( url.searchParams.get( 'after' ) );
			const limit = Number( url.searchParams.get( 'limit' ) );
			const linked = this.linkedContactIds();
			reply( 200, {
				contact_ids: linked
					.filter( ( id ) => id > after )
					.slice( 0, limit ),
				total: linked.length,
			} );
			return;
		}
		if (
			request.method === 'POST' &&
			url.pathname ===
				'/wp-json/pulse-sync/v1/bridge/linked-contacts/lookup'
		) {
			const { contact_ids: asked } = JSON.parse( body ) as {
				contact_ids: number[];
			};
			const linked = new Set( this.linkedContactIds() );
			reply( 200, {
				linked: asked.filter( ( id ) => linked.has( id ) ),
			} );
			return;
		}
		reply( 404, { code: 'rest_no_route' } );
	}

	private linkedContactIds(): number[] {
		return [ ...this.users.values() ]
			.map( ( user ) => user.contactId )
			.sort( ( a, b ) => a - b );
	}

	/**
	 * One item of the batch answer; a repeat of a delivery_id is answered from its record.
	 * @param write The user write.
	 */
	private answer( write: UserWrite ): UserWriteAnswer | { error: unknown } {
		const earlier = this.answered.get( write.delivery_id );
		if ( earlier ) {
			return earlier;
		}
		const answer = this.upsert( write );
		if ( answer === null ) {
			return {
				error: {
					code: 'pulse_sync_invalid_email',
					message: 'The contact has no valid email address.',
					status: 422,
				},
			};
		}
		this.answered.set( write.delivery_id, answer );
		return answer;
	}

	private upsert( write: UserWrite ): UserWriteAnswer | null {
		const existing = this.users.get( write.contact_id );
		if ( existing ) {
			if ( write.action !== 'update_tags' ) {
				Object.assign( existing.user, write.user );
				Object.assign( existing.meta, write.meta );
			}
			existing.tags = write.tags;
			return {
				status: 'updated',
				user_id: existing.userId,
				password_used: false,
			};
		}
		if ( write.action !== 'add' ) {
			return {
				status: 'skipped',
				user_id: null,
				password_used: false,
				reason: 'no_user',
			};
		}
		if ( ! write.email?.includes( '@' ) ) {
			return null;
		}
		const usesGenerated =
			! write.user.user_pass && write.generated_password !== null;
		const user: FakeUser = {
			userId: this.nextUserId++,
			contactId: write.contact_id,
			email: write.email,
			user: { ...write.user },
			meta: { ...write.meta },
			tags: write.tags,
			password: write.user.user_pass ?? write.generated_password,
		};
		this.users.set( write.contact_id, user );
		return {
			status: 'created',
			user_id: user.userId,
			password_used: usesGenerated,
		};
	}
}
