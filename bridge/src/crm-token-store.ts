import type { TokenSet, TokenStore } from './crm';
import type { Db } from './database';
import { rowContext, SecretBoxError, type SecretBox } from './secret-box';

/**
 * Which OAuth client and hosts a token pair belongs to: the tokens go only to the portal and the
 * API they were issued for, with the client id they were issued to. `portalUrl` is the portal in
 * use: the setting as the plugin sends it, or the one derived from the account URL when that is ''
 * (crm-connection.ts; crm/urls.ts owns the rule).
 */
export interface TokenKey {
	accountUrl: string;
	portalUrl: string;
	clientId: string;
}

/**
 * Where the bridge keeps the CRM tokens of every credential set: the SQLite file, or PostgreSQL
 * when several bridges share them (pg-token-store.ts).
 */
export interface TokenVault {
	/** The tokens of one credential set. */
	storeFor: ( key: TokenKey ) => TokenStore;
	/** Deletes every stored token pair (Disconnect, Uninstall); how many were deleted. */
	forgetAll: () => Promise< number >;
}

/**
 * The tokens in the SQLite file.
 * @param db  The bridge's database.
 * @param box The box the tokens are sealed in.
 */
export function sqliteTokenVault( db: Db, box: SecretBox ): TokenVault {
	return {
		storeFor: ( key ) => new SqliteTokenStore( db, box, key ),
		forgetAll: async () => SqliteTokenStore.forgetAll( db ),
	};
}

/** `client_id` of a row written before 0.2.0, when rows were keyed by account URL only. */
const LEGACY_CLIENT_ID = '';

/**
 * CRM OAuth tokens in the bridge's SQLite file, encrypted and bound to their row, one row per
 * account URL, portal URL and client id: changing the portal URL (or the client) never sends the
 * refresh token and the client secret to the new host; the new settings start "not connected".
 * Answers synchronously (one process: no refresh lock needed); each save is one atomic statement.
 */
export class SqliteTokenStore implements TokenStore {
	constructor(
		private readonly db: Db,
		private readonly box: SecretBox,
		private readonly key: TokenKey
	) {}

	/**
	 * Deletes every stored token pair (Disconnect, and Uninstall through it): a bridge serves one
	 * site, so tokens of earlier accounts or portals go too.
	 * @param db The bridge's database.
	 * @return How many pairs were deleted.
	 */
	static forgetAll( db: Db ): number {
		return db.prepare( 'DELETE FROM crm_tokens' ).run().changes;
	}

	load(): TokenSet | null {
		const sealed = sealedRow( this.db, this.key ) ?? this.adoptLegacyRow();
		if ( sealed === null ) {
			return null;
		}
		const opened = openTokens( this.box, sealed, this.key );
		if ( opened?.stale ) {
			// Sealed under the secret before a re-pair: sealed again under the current one, so
			// the tokens outlive the next rotation too.
			this.save( opened.tokens );
		}
		return opened?.tokens ?? null;
	}

	save( tokens: TokenSet | null ): void {
		if ( tokens === null ) {
			deleteRow( this.db, this.key );
			return;
		}
		this.db
			.prepare(
				`INSERT INTO crm_tokens (account_url, portal_url, client_id, sealed) VALUES (?, ?, ?, ?)
				ON CONFLICT (account_url, portal_url, client_id) DO UPDATE SET sealed = excluded.sealed`
			)
			.run(
				this.key.accountUrl,
				this.key.portalUrl,
				this.key.clientId,
				this.box.seal(
					JSON.stringify( tokens ),
					tokenContext( this.key )
				)
			);
	}

	/**
	 * A row from before 0.2.0 knows only its account URL; the first credentials that ask for
	 * that account after the upgrade (the ones the tokens were issued with, unless the owner
	 * changed them during the upgrade) take it over, once: it is sealed again under their key
	 * and the legacy row is gone, so no later portal or client can claim it.
	 * @return The row's new ciphertext, or null when there is no legacy row (or it cannot be opened).
	 */
	private adoptLegacyRow(): string | null {
		if ( this.key.clientId === LEGACY_CLIENT_ID ) {
			return null;
		}
		const legacy: TokenKey = {
			accountUrl: this.key.accountUrl,
			portalUrl: '',
			clientId: LEGACY_CLIENT_ID,
		};
		return this.db.transaction( (): string | null => {
			const sealed = sealedRow( this.db, legacy );
			if ( sealed === null ) {
				return null;
			}
			deleteRow( this.db, legacy );
			let plaintext: string;
			try {
				plaintext = this.box.open( sealed, tokenContext( legacy ) );
			} catch ( error ) {
				if ( error instanceof SecretBoxError ) {
					return null;
				}
				throw error;
			}
			this.save( JSON.parse( plaintext ) as TokenSet );
			return sealedRow( this.db, this.key );
		} )();
	}
}

function sealedRow( db: Db, key: TokenKey ): string | null {
	const row = db
		.prepare(
			'SELECT sealed FROM crm_tokens WHERE account_url = ? AND portal_url = ? AND client_id = ?'
		)
		.get( key.accountUrl, key.portalUrl, key.clientId ) as
		{ sealed: string } | undefined;
	return row?.sealed ?? null;
}

function deleteRow( db: Db, key: TokenKey ): void {
	db.prepare(
		'DELETE FROM crm_tokens WHERE account_url = ? AND portal_url = ? AND client_id = ?'
	).run( key.accountUrl, key.portalUrl, key.clientId );
}

/**
 * Opens a token row's value; null when it does not open under these secrets (sealed under an
 * earlier bridge secret, or copied from another row): "not connected" until the owner connects
 * again, which overwrites the row.
 * @param box    The tokens' box.
 * @param sealed The row's value.
 * @param key    The row's key.
 * @return The tokens, and whether they were sealed under a previous secret (to seal again).
 */
export function openTokens(
	box: SecretBox,
	sealed: string,
	key: TokenKey
): { tokens: TokenSet; stale: boolean } | null {
	try {
		const { plaintext, stale } = box.openAny( sealed, tokenContext( key ) );
		return { tokens: JSON.parse( plaintext ) as TokenSet, stale };
	} catch ( error ) {
		if ( error instanceof SecretBoxError ) {
			return null;
		}
		throw error;
	}
}

/**
 * The associated data of a token row.
 * @param key The row's key.
 */
export function tokenContext( key: TokenKey ): string {
	return rowContext(
		'crm_tokens',
		[ key.accountUrl, key.portalUrl, key.clientId ],
		'sealed'
	);
}
