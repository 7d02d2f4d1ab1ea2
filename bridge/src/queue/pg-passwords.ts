import type { PgPool } from '../pg-database';
import type { PasswordStore } from './queue';

/** A job's sealed generated password, in its row of the PostgreSQL `jobs` table. */
export class PgPasswords implements PasswordStore {
	/** @param pool The migrated database. */
	constructor( private readonly pool: PgPool ) {}

	async storePassword( jobId: number, sealed: string ): Promise< void > {
		await this.pool.query(
			'UPDATE jobs SET sealed_password = $1 WHERE id = $2',
			[ sealed, jobId ]
		);
	}
}
