import PgBoss from 'pg-boss';
import type { PgClient } from '../pg-database';
import { siteSchemas } from '../site-schemas';

/**
 * pg-boss, as the bridge uses it (the engine chosen in docs/architecture.md): one queue whose
 * `stately` policy with `singletonKey` = the contact allows one queued and one active job per
 * contact, enforced by pg-boss's unique index. A pg-boss job means "run this contact's next
 * work": the work itself (merged intent, attempts, password) is in the bridge's rows
 * (pg-schema.ts), so a send refused because one already waits loses nothing. The active job is
 * the lease: not completed within `expireInSeconds` (a crashed bridge), pg-boss's maintenance
 * retries it, and another bridge fetches it.
 */

const QUEUE = 'pulse_sync_contact';
const CREATE_ATTEMPTS = 5;

export interface ContactTurn {
	/** pg-boss's job id: completed when this turn ends. */
	id: string;
	contactId: number;
}

export interface EngineOptions {
	/** How long a fetched turn is held before pg-boss hands it to another bridge. */
	leaseSeconds: number;
	/** How often pg-boss's maintenance looks for expired turns. */
	maintenanceSeconds: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
	leaseSeconds: 300,
	maintenanceSeconds: 10,
};

/** pg-boss calls SQL through `executeSql`; inside our transaction it must use our client. */
function within( client: PgClient ) {
	return {
		executeSql: ( text: string, values?: unknown[] ) =>
			client.query( text, values ),
	};
}

export class ContactQueueEngine {
	private readonly boss: PgBoss;

	/**
	 * @param url     The database.
	 * @param options Lease and maintenance intervals.
	 * @param schema  pg-boss's schema for this site (SiteSchemas.boss).
	 */
	constructor(
		url: string,
		private readonly options: EngineOptions = DEFAULT_ENGINE_OPTIONS,
		schema = siteSchemas( null ).boss
	) {
		this.boss = new PgBoss( {
			connectionString: url,
			schema,
			max: 4,
			maintenanceIntervalSeconds: options.maintenanceSeconds,
			monitorStateIntervalSeconds: 60,
		} );
		// Reported again by the next call that needs the database.
		this.boss.on( 'error', () => {} );
	}

	/**
	 * Creates pg-boss's schema and the queue when missing. Bridges starting together, or opening
	 * a site just paired at the same moment, race on it: PostgreSQL may end one of them as a
	 * deadlock victim, so a refused creation is tried again once the other has committed.
	 */
	async start(): Promise< void > {
		await this.boss.start();
		for ( let attempt = 1; ; attempt++ ) {
			if ( ( await this.boss.getQueue( QUEUE ) ) !== null ) {
				return;
			}
			try {
				await this.boss.createQueue( QUEUE, {
					name: QUEUE,
					policy: 'stately',
					expireInSeconds: this.options.leaseSeconds,
					// A turn cut off by a crash is always run again: the bridge's rows decide when
					// a job gives up (worker.ts's retry schedule), not pg-boss's count.
					retryLimit: 1_000_000,
					retryDelay: 0,
				} );
				return;
			} catch ( error ) {
				if ( attempt >= CREATE_ATTEMPTS ) {
					throw error;
				}
				await new Promise( ( resolve ) =>
					setTimeout( resolve, 100 * attempt )
				);
			}
		}
	}

	async stop(): Promise< void > {
		await this.boss.stop( { graceful: false, wait: true } );
	}

	/**
	 * Asks for a turn of the contact, inside the caller's transaction. pg-boss refuses it when
	 * one already waits for the contact, which then does the work.
	 * @param client    The transaction's client.
	 * @param contactId The contact.
	 * @param startAt   When the turn may start (ms).
	 */
	async request(
		client: PgClient,
		contactId: number,
		startAt: number
	): Promise< void > {
		await this.boss.send(
			QUEUE,
			{ contactId },
			{
				singletonKey: `contact-${ contactId }`,
				startAfter: new Date( startAt ),
				db: within( client ),
			}
		);
	}

	/** The oldest due turn of a contact with none active, now active for this bridge. */
	async fetch(): Promise< ContactTurn | null > {
		const [ job ] = await this.boss.fetch< { contactId: number } >( QUEUE, {
			batchSize: 1,
		} );
		return job ? { id: job.id, contactId: job.data.contactId } : null;
	}

	/**
	 * Ends a turn, inside the caller's transaction.
	 * @param client The transaction's client.
	 * @param turnId The turn.
	 * @return False when the turn was no longer this bridge's (its lease expired).
	 */
	async complete( client: PgClient, turnId: string ): Promise< boolean > {
		// pg-boss 10 answers how many jobs it completed, though its types say void.
		const answer = ( await this.boss.complete(
			QUEUE,
			turnId,
			{},
			{
				db: within( client ),
			}
		) ) as unknown as { affected: number };
		return answer.affected > 0;
	}
}
