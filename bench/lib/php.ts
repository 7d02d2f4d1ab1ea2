/**
 * Runs bench/php/insert-users.php against the stack's WordPress. Asynchronous (unlike dev's
 * runPhp), because the `limit` scenario runs one process per core at the same time.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../dev/src/paths';

export interface UserRow {
	contact_id: number;
	email: string;
	first_name: string;
	last_name: string;
}

export interface InsertResult {
	created: number;
	/** Time spent writing users, WordPress's boot excluded. */
	seconds: number;
}

export function insertUsers(
	wpDir: string,
	users: readonly UserRow[],
	tags: readonly number[]
): Promise< InsertResult > {
	return new Promise( ( resolve, reject ) => {
		const child = spawn(
			'php',
			[ path.join( ROOT, 'bench', 'php', 'insert-users.php' ) ],
			{ env: { ...process.env, PULSE_WP_DIR: wpDir } }
		);
		let stdout = '';
		let stderr = '';
		child.stdout.on( 'data', ( chunk: Buffer ) => ( stdout += chunk ) );
		child.stderr.on( 'data', ( chunk: Buffer ) => ( stderr += chunk ) );
		child.on( 'error', reject );
		child.on( 'close', ( code ) => {
			if ( code !== 0 ) {
				reject(
					new Error(
						`insert-users.php failed (exit ${ code }): ${ stderr.slice( 0, 500 ) }`
					)
				);
				return;
			}
			resolve( JSON.parse( stdout ) as InsertResult );
		} );
		child.stdin.end( JSON.stringify( { users, tags } ) );
	} );
}
