import type { PgPool } from './pg-database';
import type { SharedReplays } from './replay-guard';

/**
 * The `webhook-id`s verified by any bridge on the database (`pulse_sync.seen_webhook_ids`,
 * queue/pg-schema.ts), so a signed request replayed to another bridge of the site is refused as
 * one replayed to the same bridge is (replay-guard.ts). One statement claims an id: a new row,
 * or an expired one taken over.
 */
export class PgReplayStore implements SharedReplays {
	private claims = 0;

	/** @param pool The migrated database. */
	constructor( private readonly pool: PgPool ) {}

	async claim(
		id: string,
		untilMs: number,
		nowMs: number
	): Promise< boolean > {
		// Expired ids are kept out of the table now and then, not on every request.
		if ( ++this.claims % 500 === 0 ) {
			await this.pool.query(
				'DELETE FROM seen_webhook_ids WHERE until_ms < $1',
				[ nowMs ]
			);
		}
		const { rowCount } = await this.pool.query(
			`INSERT INTO seen_webhook_ids (id, until_ms) VALUES ($1, $2)
				ON CONFLICT (id) DO UPDATE SET until_ms = excluded.until_ms
				WHERE seen_webhook_ids.until_ms < $3`,
			[ id, untilMs, nowMs ]
		);
		return rowCount === 1;
	}
}
