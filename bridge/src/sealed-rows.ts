import { tokenContext } from './crm-token-store';
import type { Db } from './database';
import { passwordContext } from './jobs/sync-user';
import { SecretBox, SecretBoxError } from './secret-box';

export interface SealedRowBoxes {
	tokens: SecretBox;
	passwords: SecretBox;
}

interface Upgrade {
	select: string;
	update: string;
	box: SecretBox;
	context: ( row: Record< string, unknown > ) => string;
	key: ( row: Record< string, unknown > ) => unknown[];
}

/**
 * Seals again, bound to their row, the values sealed before 0.2.0 without associated data
 * (`v1.`), once, at start-up: afterwards `SecretBox.open()` refuses `v1.` values, so a
 * ciphertext copied into another row never opens. A value that does not open under this secret
 * stays as it is (it was unusable before, and is refused the same way now).
 * @param db    The migrated database.
 * @param boxes The boxes of the CRM tokens and of the job passwords.
 * @return How many values were sealed again.
 */
export function resealLegacyRows( db: Db, boxes: SealedRowBoxes ): number {
	const upgrades: Upgrade[] = [
		{
			select: `SELECT account_url, portal_url, client_id, sealed AS value FROM crm_tokens WHERE sealed LIKE 'v1.%'`,
			update: 'UPDATE crm_tokens SET sealed = ? WHERE account_url = ? AND portal_url = ? AND client_id = ?',
			box: boxes.tokens,
			context: ( row ) =>
				tokenContext( {
					accountUrl: String( row.account_url ),
					portalUrl: String( row.portal_url ),
					clientId: String( row.client_id ),
				} ),
			key: ( row ) => [ row.account_url, row.portal_url, row.client_id ],
		},
		{
			select: `SELECT id, sealed_password AS value FROM jobs WHERE sealed_password LIKE 'v1.%'`,
			update: 'UPDATE jobs SET sealed_password = ? WHERE id = ?',
			box: boxes.passwords,
			context: ( row ) => passwordContext( Number( row.id ) ),
			key: ( row ) => [ row.id ],
		},
	];
	return db.transaction( (): number => {
		let resealed = 0;
		for ( const upgrade of upgrades ) {
			const rows = db.prepare( upgrade.select ).all() as Array<
				Record< string, unknown >
			>;
			for ( const row of rows ) {
				const value = String( row.value );
				if ( ! SecretBox.isLegacy( value ) ) {
					continue;
				}
				let plaintext: string;
				try {
					plaintext = upgrade.box.openLegacy( value );
				} catch ( error ) {
					if ( error instanceof SecretBoxError ) {
						continue;
					}
					throw error;
				}
				db.prepare( upgrade.update ).run(
					upgrade.box.seal( plaintext, upgrade.context( row ) ),
					...upgrade.key( row )
				);
				resealed++;
			}
		}
		return resealed;
	} )();
}
