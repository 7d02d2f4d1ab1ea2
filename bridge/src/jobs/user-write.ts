import type { MappedContact } from '../mapping';
import type { ClaimedJob } from '../queue/queue';
import type { UserWrite } from '../wordpress/client';

/**
 * Pure: the body of the plugin's user write for one job. `update_tags` carries no fields, so
 * the plugin cannot touch anything but tags; the URL's `role` wins over a mapped role.
 * @param job               The claimed job (intent and request id).
 * @param mapped            The contact after the field mapping.
 * @param tagIds            All the contact's tag ids.
 * @param generatedPassword The password WordPress may use for a new user.
 */
export function buildUserWrite(
	job: ClaimedJob,
	mapped: MappedContact,
	tagIds: number[],
	generatedPassword: string | null
): UserWrite {
	const { action, sendNotification, role } = job.intent;
	const fieldsToo = action !== 'update_tags';
	return {
		delivery_id: job.requestId,
		action,
		contact_id: job.contactId,
		email: mapped.email,
		user: fieldsToo ? mapped.user : {},
		meta: fieldsToo ? mapped.meta : {},
		role: fieldsToo ? ( role ?? mapped.role ) : null,
		tags: tagIds,
		send_notification: sendNotification,
		generated_password: generatedPassword,
	};
}
