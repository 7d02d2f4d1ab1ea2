import { statement, type Db } from '../database';
import type { PasswordStore } from './queue';

/** A job's sealed generated password, in its row of the SQLite `jobs` table. */
export class SqlitePasswords implements PasswordStore {
	/** @param db The open, migrated SQLite file. */
	constructor( private readonly db: Db ) {}

	async storePassword( jobId: number, sealed: string ): Promise< void > {
		statement(
			this.db,
			'UPDATE jobs SET sealed_password = ? WHERE id = ?'
		).run( sealed, jobId );
	}
}
