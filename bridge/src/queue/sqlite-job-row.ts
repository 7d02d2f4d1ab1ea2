import type { DeliveryAction, JobIntent } from './merge';
import type { JobState } from './queue';

/** One row of the SQLite `jobs` table (schema.ts). */
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

// A job may start only when no job of its contact is running and no older job of its contact
// waits (e.g. in back-off): one job at a time per contact, in arrival order.
const CONTACT_IS_FREE = `NOT EXISTS (
	SELECT 1 FROM jobs k WHERE k.contact_id = j.contact_id
	AND (k.state = 'in_progress' OR (k.state = 'queued' AND k.id < j.id)))`;

export function intentOfRow( row: JobRow ): JobIntent {
	return {
		action: row.action,
		sendNotification: row.send_notification === 1,
		role: row.role,
	};
}
