import pg from 'pg';
import { FIRST_SITE_SCHEMA } from './site-schemas';

/**
 * The bridge's PostgreSQL connection pool (`--database postgres://…`), shared by the queue, the
 * CRM tokens, the replay guard and the storm meter when several bridges share one database.
 * Times are unix milliseconds in BIGINT columns: they are read back as numbers (they stay far
 * below 2^53), not as the strings `pg` gives for BIGINT by default.
 */
export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

const BIGINT_OID = 20;

const types = {
	getTypeParser: ( oid: number, format?: 'text' | 'binary' ) =>
		oid === BIGINT_OID
			? ( value: string ) => Number( value )
			: pg.types.getTypeParser( oid, format ),
} as pg.CustomTypesConfig;

/**
 * Opens a pool on the database whose queries run in one site's schema.
 * @param url    The `postgres://…` connection string.
 * @param max    The most connections this pool holds at once.
 * @param schema The schema unqualified table names resolve to (SiteSchemas.tables).
 */
export function openPgPool(
	url: string,
	max = 10,
	schema = FIRST_SITE_SCHEMA
): PgPool {
	const pool = new pg.Pool( {
		connectionString: url,
		max,
		types,
		options: `-c search_path=${ schema }`,
	} );
	// An idle client losing its server must not crash the process; the next query reports it.
	pool.on( 'error', () => {} );
	return pool;
}

/**
 * Runs `work` in one transaction on one client: committed when it resolves, rolled back when
 * it throws.
 * @param pool The pool.
 * @param work What to do inside the transaction.
 */
export async function inTransaction< T >(
	pool: PgPool,
	work: ( client: PgClient ) => Promise< T >
): Promise< T > {
	const client = await pool.connect();
	try {
		await client.query( 'BEGIN' );
		const result = await work( client );
		await client.query( 'COMMIT' );
		return result;
	} catch ( error ) {
		await client.query( 'ROLLBACK' ).catch( () => {} );
		throw error;
	} finally {
		client.release();
	}
}

// The two int4 keys of an advisory lock: the schema and namespace ($1), the key ($2).
const LOCK_KEY =
	"hashtext(current_setting('search_path') || ':' || $1), hashtext($2)";

/**
 * A lock held until the transaction ends, on one key of one namespace of the client's schema
 * (one site's): for the few rules that must hold across bridges outside the job queue (one
 * intake per contact at a time, one CRM token refresh at a time). Two sites' contact 7 are
 * different contacts, so their locks are different locks.
 * @param client    The client inside the transaction.
 * @param namespace What is locked (e.g. 'intake').
 * @param key       Which one.
 */
export async function lockUntilCommit(
	client: PgClient,
	namespace: string,
	key: string
): Promise< void > {
	await client.query( `SELECT pg_advisory_xact_lock(${ LOCK_KEY })`, [
		namespace,
		key,
	] );
}

/**
 * The lock of lockUntilCommit when it is free now; false, without waiting, when another
 * transaction holds it (for work that another bridge doing it makes unneeded).
 * @param client    The client inside the transaction.
 * @param namespace What is locked (e.g. 'import_feed').
 * @param key       Which one.
 */
export async function tryLockUntilCommit(
	client: PgClient,
	namespace: string,
	key: string
): Promise< boolean > {
	const { rows } = await client.query< { locked: boolean } >(
		`SELECT pg_try_advisory_xact_lock(${ LOCK_KEY }) AS locked`,
		[ namespace, key ]
	);
	return rows[ 0 ]?.locked === true;
}
