import type { TokenSet, TokenStore } from './crm';
import type { Db } from './database';
import { SecretBoxError, type SecretBox } from './secret-box';

/**
 * CRM OAuth tokens in the bridge's SQLite file, encrypted, one row per account URL: tokens of
 * one CRM account are never sent to another when the owner changes the account URL.
 * Synchronous because the CRM client's TokenStore is; each save is one atomic statement.
 */
export class SqliteTokenStore implements TokenStore {
	constructor(
		private readonly db: Db,
		private readonly box: SecretBox,
		private readonly accountUrl: string
	) {}

	load(): TokenSet | null {
		const row = this.db
			.prepare( 'SELECT sealed FROM crm_tokens WHERE account_url = ?' )
			.get( this.accountUrl ) as { sealed: string } | undefined;
		if ( ! row ) {
			return null;
		}
		try {
			const { plaintext, stale } = this.box.openAny( row.sealed );
			const tokens = JSON.parse( plaintext ) as TokenSet;
			if ( stale ) {
				// Sealed under the secret before a re-pair: sealed again under the current one, so
				// the tokens outlive the next rotation too.
				this.save( tokens );
			}
			return tokens;
		} catch ( error ) {
			if ( error instanceof SecretBoxError ) {
				// Sealed under an earlier bridge secret: unusable, so "not connected" until the
				// owner connects again (which overwrites the row).
				return null;
			}
			throw error;
		}
	}

	save( tokens: TokenSet | null ): void {
		if ( tokens === null ) {
			this.db
				.prepare( 'DELETE FROM crm_tokens WHERE account_url = ?' )
				.run( this.accountUrl );
			return;
		}
		this.db
			.prepare(
				'INSERT INTO crm_tokens (account_url, sealed) VALUES (?, ?) ON CONFLICT (account_url) DO UPDATE SET sealed = excluded.sealed'
			)
			.run( this.accountUrl, this.box.seal( JSON.stringify( tokens ) ) );
	}
}
