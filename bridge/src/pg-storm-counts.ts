import type { PgPool } from './pg-database';
import type { SharedStormCounts } from './storm';

// Slots are a tenth of a second (storm.ts); older ones are deleted now and then.
const KEEP_SLOTS = 600;

/**
 * The storm meter's counts of all bridges on the database (`pulse_sync.storm_slots`,
 * queue/pg-schema.ts): one row per slot, incremented by each delivery any bridge receives.
 */
export class PgStormCounts implements SharedStormCounts {
	private adds = 0;

	/** @param pool The migrated database. */
	constructor( private readonly pool: PgPool ) {}

	async add( slot: number, oldestSlot: number ): Promise< number > {
		if ( ++this.adds % 1000 === 0 ) {
			await this.pool.query( 'DELETE FROM storm_slots WHERE slot < $1', [
				slot - KEEP_SLOTS,
			] );
		}
		// The statement's snapshot does not see its own increment: it is added from RETURNING.
		const { rows } = await this.pool.query< { total: number } >(
			`WITH counted AS (
				INSERT INTO storm_slots (slot, n) VALUES ($1, 1)
				ON CONFLICT (slot) DO UPDATE SET n = storm_slots.n + 1
				RETURNING n
			)
			SELECT (SELECT n FROM counted)
				+ COALESCE((SELECT SUM(n) FROM storm_slots WHERE slot > $2 AND slot < $1), 0) AS total`,
			[ slot, oldestSlot ]
		);
		return Number( rows[ 0 ]?.total ?? 0 );
	}
}
