import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A new, empty database on the suite's PostgreSQL (postgres-global-setup.ts), so each test of
 * the PostgreSQL engine starts from nothing, as one on `:memory:` SQLite does.
 * @return Its `postgres://…` URL.
 */
export async function freshDatabase(): Promise< string > {
	const server = process.env.PULSE_BRIDGE_TEST_POSTGRES;
	if ( ! server ) {
		throw new Error(
			'No test PostgreSQL: run the bridge suite with its jest config (bridge/jest.config.js).'
		);
	}
	const name = `bridge_test_${ randomBytes( 6 ).toString( 'hex' ) }`;
	const admin = new pg.Client( { connectionString: server } );
	await admin.connect();
	try {
		await admin.query( `CREATE DATABASE ${ name }` );
	} finally {
		await admin.end();
	}
	return server.replace( /\/[^/]*$/, `/${ name }` );
}
