/** Users written straight in PHP by `limit` and `write-cost`, with no contact in the sandbox. */
import type { UserRow } from './php';

/** Contact ids far above any the sandbox hands out, so these users never meet a scenario's. */
const SYNTHETIC_CONTACT_BASE = 900_000_000;

/**
 * `count` users with unique emails and contact ids.
 * @param batch  A label unique to this run and use, part of every email.
 * @param count  How many.
 * @param offset Added to the contact ids, so several batches of one run do not collide.
 */
export function syntheticUsers(
	batch: string,
	count: number,
	offset: number
): UserRow[] {
	return Array.from( { length: count }, ( _, n ) => ( {
		contact_id: SYNTHETIC_CONTACT_BASE + offset + n,
		email: `limit-${ batch }-${ n }@example.test`,
		first_name: 'Limit',
		last_name: String( n ),
	} ) );
}
