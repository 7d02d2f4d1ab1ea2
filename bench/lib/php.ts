/**
 * Runs the scripts of bench/php against the stack's WordPress. Asynchronous (unlike dev's
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

/** What `write-cost.php` measured over its users, WordPress's boot excluded. */
export interface WriteCost {
	users: number;
	queries: number;
	/** CPU of the PHP process (getrusage, user + system). */
	cpu_seconds: number;
	seconds: number;
	/** Queries by their first four words, most frequent first. */
	shapes: Record< string, number >;
}

/** `bare`: the `limit` scenario's wp_insert_user + meta; `batch`: the plugin's POST /bridge/users. */
export type WriteMode = 'bare' | 'batch';

function runBenchPhp< Result >(
	wpDir: string,
	script: string,
	input: unknown
): Promise< Result > {
	return new Promise( ( resolve, reject ) => {
		const child = spawn(
			'php',
			[ path.join( ROOT, 'bench', 'php', script ) ],
			{
				env: { ...process.env, PULSE_WP_DIR: wpDir },
			}
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
						`${ script } failed (exit ${ code }): ${ stderr.slice( 0, 500 ) }`
					)
				);
				return;
			}
			resolve( JSON.parse( stdout ) as Result );
		} );
		child.stdin.end( JSON.stringify( input ) );
	} );
}

export function insertUsers(
	wpDir: string,
	users: readonly UserRow[],
	tags: readonly number[]
): Promise< InsertResult > {
	return runBenchPhp( wpDir, 'insert-users.php', { users, tags } );
}

export function measureWriteCost(
	wpDir: string,
	mode: WriteMode,
	users: readonly UserRow[],
	tags: readonly number[],
	batchSize: number
): Promise< WriteCost > {
	return runBenchPhp( wpDir, 'write-cost.php', {
		mode,
		users,
		tags,
		batch_size: batchSize,
	} );
}
