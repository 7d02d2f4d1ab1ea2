import { mergeIntents, type DeliveryAction, type JobIntent } from './merge';
import { dueAfterDelivery, type SettleWindow } from './settle';
import type { ClaimedJob, JobState } from './queue';

/** One row of the `jobs` table (SQLite's schema.ts; the same columns in pg-schema.ts). */
export interface JobRow {
	id: number;
	contact_id: number;
	action: DeliveryAction;
	send_notification: number;
	role: string | null;
	primary_delivery_id: string;
	request_id: string;
	state: JobState;
	attempts: number;
	next_attempt_at: number;
	created_at: number;
	sealed_password: string | null;
}

/**
 * What a job row asks for.
 * @param row The row.
 */
export function intentOfRow( row: JobRow ): JobIntent {
	return {
		action: row.action,
		sendNotification: row.send_notification === 1,
		role: row.role,
	};
}

/**
 * Pure: a never-claimed job's intent and due time once a later delivery joins it.
 * @param open   The job's row.
 * @param intent What the delivery asks for.
 * @param now    When the delivery is accepted (ms).
 * @param settle The storm's settle window, null outside a storm.
 */
export function mergedIntoRow(
	open: JobRow,
	intent: JobIntent,
	now: number,
	settle: SettleWindow | null
): { intent: JobIntent; dueAt: number } {
	const merged = mergeIntents( intentOfRow( open ), intent );
	return {
		intent: merged,
		dueAt: dueAfterDelivery(
			{
				action: merged.action,
				dueAt: open.next_attempt_at,
				createdAt: open.created_at,
			},
			now,
			settle
		),
	};
}

/**
 * A claimed job row as the worker gets it.
 * @param row The row, just claimed.
 */
export function claimedJobOf( row: JobRow ): ClaimedJob {
	return {
		id: row.id,
		contactId: row.contact_id,
		intent: intentOfRow( row ),
		requestId: row.request_id,
		previousAttempts: row.attempts,
		sealedPassword: row.sealed_password,
	};
}
