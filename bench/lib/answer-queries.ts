/**
 * The database queries of a webhook's answer path (key check, bridge-down and backlog memory,
 * wait slot, forward, the spool check after the answer), counted from MariaDB's general log:
 * every query of each connection that read the access key, i.e. of each webhook request,
 * WordPress's boot included. The nested user write runs in a connection of its own and is not
 * counted here (write-cost measures it).
 */
import { newContacts } from '../../integration/support/sandbox';
import { query } from '../../integration/support/stack';
import { sendWebhook } from '../../integration/support/webhook';
import { BENCH_TAGS } from './scenario';

export interface AnswerQueries {
	webhooks: number;
	queriesPerWebhook: number;
	/** Queries per webhook by their first four words (quoted values as ?), most frequent first. */
	shapes: [ string, number ][];
}

/**
 * Sends `count` `add` webhooks for new contacts one after another with the general log on.
 * @param count How many.
 */
export async function answerPathQueries(
	count: number
): Promise< AnswerQueries > {
	const ids = await newContacts( count, [ ...BENCH_TAGS ] );
	query(
		"SET GLOBAL general_log = 0; SET GLOBAL log_output = 'TABLE'; TRUNCATE mysql.general_log; SET GLOBAL general_log = 1;"
	);
	try {
		for ( const id of ids ) {
			await sendWebhook( 'add', id, 'form' );
		}
	} finally {
		query( "SET GLOBAL general_log = 0; SET GLOBAL log_output = 'FILE';" );
	}
	const webhookThreads = `SELECT DISTINCT thread_id FROM mysql.general_log
		WHERE command_type = 'Query' AND argument LIKE '%pulse\\_sync\\_access\\_key%'`;
	const rows = query(
		`SELECT SUBSTRING_INDEX(REGEXP_REPLACE(REGEXP_REPLACE(TRIM(CONVERT(argument USING utf8mb4)), '\\\\s+', ' '), '''[^'']*''', '?'), ' ', 4) AS shape,
			COUNT(*) FROM mysql.general_log
			WHERE command_type = 'Query' AND thread_id IN (${ webhookThreads })
			GROUP BY shape ORDER BY COUNT(*) DESC`
	);
	const [ [ threads = '0' ] = [] ] = query(
		`SELECT COUNT(*) FROM (${ webhookThreads }) t`
	);
	const webhooks = Number( threads );
	const total = rows.reduce( ( sum, [ , n ] ) => sum + Number( n ), 0 );
	query( 'TRUNCATE mysql.general_log;' );
	return {
		webhooks,
		queriesPerWebhook: webhooks === 0 ? 0 : total / webhooks,
		shapes: rows.map( ( [ shape = '', n ] ) => [
			shape,
			webhooks === 0 ? 0 : Number( n ) / webhooks,
		] ),
	};
}
