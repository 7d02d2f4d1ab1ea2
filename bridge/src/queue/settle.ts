import type { DeliveryAction } from './merge';

/**
 * Settling: during a storm (storm.ts) a job of `update`s waits until its contact has been quiet
 * for a while, so that the 5 webhooks a CRM bulk edit sends per contact, 10–20 s apart, fold
 * into one job (2 CRM calls) instead of up to 5. Outside a storm nothing waits.
 */

export interface SettleWindow {
	/** Quiet time after a job's latest delivery before it may start. */
	settleMs: number;
	/** Longest wait, counted from the job's first delivery: a contact edited over and over still syncs. */
	capMs: number;
}

/**
 * Which jobs may settle. `add` never does: a CRM workflow may wait for its answer, its welcome
 * email or its returned password. `update_tags` does: it costs the same two CRM calls as an
 * `update`, a bulk tag change is exactly the storm that sends it for thousands of contacts, it
 * only touches users who exist already, and it merges with `update` into an `update` (merge.ts),
 * which settles, so settling both keeps a job's wait independent of which one came first.
 */
const SETTLES: Record< DeliveryAction, boolean > = {
	add: false,
	update: true,
	update_tags: true,
};

export interface UnclaimedJob {
	/** The job's action once the delivery has been merged in. */
	action: DeliveryAction;
	/** When the job was due before this delivery; null for a job the delivery creates. */
	dueAt: number | null;
	/** When its first delivery was accepted. */
	createdAt: number;
}

/**
 * Pure: when a never-claimed job may start after a delivery created it or merged into it.
 * @param job    The job, with its action after the merge.
 * @param now    When the delivery was accepted.
 * @param settle The settle window during a storm, null outside one.
 */
export function dueAfterDelivery(
	job: UnclaimedJob,
	now: number,
	settle: SettleWindow | null
): number {
	if ( settle === null || ! SETTLES[ job.action ] ) {
		// Nothing is held outside a storm, and an `add` ends the wait of the updates it absorbed.
		return job.dueAt === null ? now : Math.min( job.dueAt, now );
	}
	// Debounce: each delivery restarts the quiet time, up to the cap.
	return Math.min( now + settle.settleMs, job.createdAt + settle.capMs );
}
