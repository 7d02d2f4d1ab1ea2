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
