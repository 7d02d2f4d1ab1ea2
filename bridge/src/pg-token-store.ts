import type { TokenSet, TokenStore } from './crm';
import {
	openTokens,
	tokenContext,
	type TokenKey,
	type TokenVault,
} from './crm-token-store';
import {
	inTransaction,
	lockUntilCommit,
	type PgClient,
	type PgPool,
} from './pg-database';
import type { SecretBox } from './secret-box';

/**
 * CRM OAuth tokens in PostgreSQL, shared by every bridge of the site, sealed and bound to their
 * row as in the SQLite file (crm-token-store.ts; the table is `pulse_sync.crm_tokens`,
 * queue/pg-schema.ts). The CRM rotates refresh tokens, so a refresh runs under a database lock
 * on the row's key (`exclusively`), and the CRM client re-reads the tokens once it holds it:
 * when another bridge refreshed meanwhile, its tokens are used and no second refresh is sent.
 */
export class PgTokenStore implements TokenStore {
	/** The transaction of the refresh this store runs, whose loads and saves go through it. */
	private locked: PgClient | null = null;

	constructor(
		private readonly pool: PgPool,
		private readonly box: SecretBox,
		private readonly key: TokenKey
	) {}

	async load(): Promise< TokenSet | null > {
		const { rows } = await this.db().query< { sealed: string } >(
			'SELECT sealed FROM crm_tokens WHERE account_url = $1 AND portal_url = $2 AND client_id = $3',
			[ this.key.accountUrl, this.key.portalUrl, this.key.clientId ]
		);
		const sealed = rows[ 0 ]?.sealed;
		if ( sealed === undefined ) {
			return null;
		}
		const opened = openTokens( this.box, sealed, this.key );
		if ( opened?.stale ) {
			await this.save( opened.tokens );
		}
		return opened?.tokens ?? null;
	}

	async save( tokens: TokenSet | null ): Promise< void > {
		const key = [
			this.key.accountUrl,
			this.key.portalUrl,
			this.key.clientId,
		];
		if ( tokens === null ) {
			await this.db().query(
				'DELETE FROM crm_tokens WHERE account_url = $1 AND portal_url = $2 AND client_id = $3',
				key
			);
			return;
		}
		await this.db().query(
			`INSERT INTO crm_tokens (account_url, portal_url, client_id, sealed) VALUES ($1, $2, $3, $4)
				ON CONFLICT (account_url, portal_url, client_id) DO UPDATE SET sealed = excluded.sealed`,
			[
				...key,
				this.box.seal(
					JSON.stringify( tokens ),
					tokenContext( this.key )
				),
			]
		);
	}

	exclusively< T >( work: () => Promise< T > ): Promise< T > {
		return inTransaction( this.pool, async ( client ) => {
			await lockUntilCommit(
				client,
				'crm_tokens',
				tokenContext( this.key )
			);
			this.locked = client;
			try {
				return await work();
			} finally {
				this.locked = null;
			}
		} );
	}

	private db(): Pick< PgPool, 'query' > {
		return this.locked ?? this.pool;
	}
}

/**
 * The tokens in PostgreSQL.
 * @param pool The migrated database.
 * @param box  The box the tokens are sealed in.
 */
export function pgTokenVault( pool: PgPool, box: SecretBox ): TokenVault {
	return {
		storeFor: ( key ) => new PgTokenStore( pool, box, key ),
		forgetAll: async () =>
			( await pool.query( 'DELETE FROM crm_tokens' ) ).rowCount ?? 0,
	};
}
