import { statement, type Db } from '../database';
import type { JobIntent } from './merge';
import { dueAfterDelivery, type SettleWindow } from './settle';
import { mergedIntoRow, type JobRow } from './sqlite-job-row';

/**
 * Merges the intent into the contact's newest job that has never been claimed, or creates a
 * job. A job that was claimed may already have reached WordPress under its request id, and
 * the plugin answers a repeated request id from its record, so it must not change meaning.
 * That also keeps a retry's back-off out of settling: only unclaimed jobs get a new due time.
 * @param db         The SQLite file.
 * @param now        When the delivery is accepted (ms).
 * @param contactId  The contact the job is for.
 * @param intent     What the delivery asks for.
 * @param deliveryId The delivery that creates the job, if one is created.
 * @param requestId  The id WordPress will see as delivery_id.
 * @param settle     The storm's settle window, null outside a storm.
 */
export function queueIntent(
	db: Db,
	now: number,
	contactId: number,
	intent: JobIntent,
	deliveryId: string,
	requestId: string,
	settle: SettleWindow | null
): { jobId: number; mergedInto: string | null; dueAt: number } {
	const open = statement(
		db,
		`SELECT * FROM jobs WHERE contact_id = ? AND state = 'queued' AND claims = 0 ORDER BY id DESC LIMIT 1`
	).get( contactId ) as JobRow | undefined;
	if ( open ) {
		const { intent: merged, dueAt } = mergedIntoRow(
			open,
			intent,
			now,
			settle
		);
		statement(
			db,
			'UPDATE jobs SET action = ?, send_notification = ?, role = ?, next_attempt_at = ? WHERE id = ?'
		).run(
			merged.action,
			merged.sendNotification ? 1 : 0,
			merged.role,
			dueAt,
			open.id
		);
		return {
			jobId: open.id,
			mergedInto: open.primary_delivery_id,
			dueAt,
		};
	}
	const dueAt = dueAfterDelivery(
		{ action: intent.action, dueAt: null, createdAt: now },
		now,
		settle
	);
	const created = statement(
		db,
		`INSERT INTO jobs (contact_id, action, send_notification, role, primary_delivery_id, request_id, state,
				next_attempt_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)`
	).run(
		contactId,
		intent.action,
		intent.sendNotification ? 1 : 0,
		intent.role,
		deliveryId,
		requestId,
		dueAt,
		now
	);
	return {
		jobId: Number( created.lastInsertRowid ),
		mergedInto: null,
		dueAt,
	};
}
