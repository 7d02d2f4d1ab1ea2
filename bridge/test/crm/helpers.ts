import {
	DEMO_CLIENT,
	startSandbox,
	type RunningSandbox,
} from '../../../crm-sandbox/src';
import {
	CrmClient,
	type CrmConfig,
	type TokenSet,
	type TokenStore,
} from '../../src/crm';

export const REDIRECT_URI =
	'http://127.0.0.1:9/wp-admin/admin.php?page=pulse-sync&pulse_sync_oauth=callback';

/** The bridge keeps tokens in SQLite; for the client's contract a map that records saves will do. */
export class MemoryTokenStore implements TokenStore {
	tokens: TokenSet | null = null;
	saves: Array< TokenSet | null > = [];

	load(): TokenSet | null {
		return this.tokens ? { ...this.tokens } : null;
	}

	save( tokens: TokenSet | null ): void {
		this.tokens = tokens ? { ...tokens } : null;
		this.saves.push( this.tokens );
	}
}

export interface LoggedEvent {
	event: string;
	data: Record< string, unknown >;
}

export interface ContractSandbox {
	sandbox: RunningSandbox;
	control: ( method: string, path: string, body?: unknown ) => Promise< any >;
	/** Request counters since the last `resetLog()`, by endpoint. */
	counters: () => Promise< Record< string, number > >;
	resetLog: () => Promise< void >;
	/** A client connected through the code grant, with fast retries unless `config` says otherwise. */
	connectedClient: ( config?: Partial< CrmConfig > ) => Promise< {
		client: CrmClient;
		store: MemoryTokenStore;
		events: LoggedEvent[];
	} >;
	newClient: (
		config?: Partial< CrmConfig >,
		store?: MemoryTokenStore
	) => { client: CrmClient; store: MemoryTokenStore; events: LoggedEvent[] };
	close: () => Promise< void >;
}

export async function startContractSandbox(): Promise< ContractSandbox > {
	const sandbox = await startSandbox( { port: 0, host: '127.0.0.1' } );
	const control = async (
		method: string,
		path: string,
		body?: unknown
	): Promise< any > => {
		const response = await fetch( `${ sandbox.url }/__sandbox/${ path }`, {
			method,
			headers:
				body === undefined
					? {}
					: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify( body ),
		} );
		if ( ! response.ok ) {
			throw new Error(
				`control ${ method } ${ path } answered ${ response.status }`
			);
		}
		return response.json();
	};
	const newClient: ContractSandbox[ 'newClient' ] = (
		config = {},
		store = new MemoryTokenStore()
	) => {
		const events: LoggedEvent[] = [];
		const client = new CrmClient(
			{
				accountUrl: `${ sandbox.url }/`,
				portalUrl: sandbox.url,
				clientId: DEMO_CLIENT.id,
				clientSecret: DEMO_CLIENT.secret,
				timeoutMs: 2000,
				retryBaseDelayMs: 10,
				retryMaxDelayMs: 2000,
				logger: ( event, data ) => events.push( { event, data } ),
				...config,
			},
			store
		);
		return { client, store, events };
	};
	return {
		sandbox,
		control,
		counters: async () => ( await control( 'GET', 'counters' ) ).counters,
		resetLog: async () => {
			await control( 'DELETE', 'requests' );
		},
		newClient,
		async connectedClient( config = {} ) {
			const made = newClient( config );
			const { code } = await control( 'POST', 'oauth/code', {
				client_id: DEMO_CLIENT.id,
				redirect_uri: REDIRECT_URI,
			} );
			await made.client.exchangeCode( code, REDIRECT_URI );
			return made;
		},
		close: () => sandbox.close(),
	};
}

/** The tokens must never reach a log line. */
export function expectNoSecretsLogged(
	events: LoggedEvent[],
	store: MemoryTokenStore
): void {
	const logged = JSON.stringify( events );
	for ( const tokens of store.saves ) {
		if ( tokens ) {
			expect( logged ).not.toContain( tokens.accessToken );
			expect( logged ).not.toContain( tokens.refreshToken );
		}
	}
	expect( logged ).not.toContain( DEMO_CLIENT.secret );
}
