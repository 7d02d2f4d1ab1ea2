import pg from 'pg';
import type { PgClient } from '../pg-database';
import { QueueEventBus } from './queue-events';

/**
 * The queue's events across every bridge on the database: a change is announced with NOTIFY
 * inside the transaction that made it (so it is heard only once committed), and each bridge
 * LISTENs and feeds its own {@link QueueEventBus}, its own changes included. A waiting HTTP
 * request thus hears that a job ended on another bridge, and idle workers wake for a delivery
 * another bridge took. Each site has its own channel, named after its schema
 * (`pulse_sync_queue` for the first site), so a bridge hears only the sites it serves.
 */

const CHANNEL_SUFFIX = '_queue';

type Change = 'queued' | 'settled';

/**
 * Announces a change of a job, heard by all bridges once the transaction commits.
 * @param client The transaction's client.
 * @param change What happened to the job.
 * @param jobId  The job.
 */
export async function announce(
	client: PgClient,
	change: Change,
	jobId: number
): Promise< void > {
	// The client's search_path is its site's schema (pg-database.ts, openPgPool).
	await client.query(
		`SELECT pg_notify(current_setting('search_path') || '${ CHANNEL_SUFFIX }', $1)`,
		[ `${ change }:${ jobId }` ]
	);
}

export class PgQueueEvents extends QueueEventBus {
	private readonly listener: pg.Client;

	/**
	 * @param url    The database.
	 * @param schema The site's schema, whose channel is listened to.
	 */
	constructor(
		url: string,
		private readonly schema: string
	) {
		super();
		this.listener = new pg.Client( { connectionString: url } );
		// A lost listener connection is reported by the queries that need the database; the
		// workers still poll, so only the wake-ups are late.
		this.listener.on( 'error', () => {} );
		this.listener.on( 'notification', ( message ) => {
			const [ change, id ] = ( message.payload ?? '' ).split( ':' );
			const jobId = Number( id );
			if ( change === 'settled' ) {
				this.settled( jobId );
			} else if ( change === 'queued' ) {
				this.queued( jobId );
			}
		} );
	}

	async start(): Promise< void > {
		await this.listener.connect();
		await this.listener.query(
			`LISTEN ${ this.listener.escapeIdentifier( this.schema + CHANNEL_SUFFIX ) }`
		);
	}

	async stop(): Promise< void > {
		await this.listener.end();
	}
}
