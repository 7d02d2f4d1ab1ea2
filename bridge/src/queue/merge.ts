/**
 * What a job will do for one contact. Deliveries queued for the same contact before its job
 * starts are folded into one intent, because the job always loads the contact's current state
 * from the CRM: two queued `update`s would do the same work twice.
 */

import type { DeliveryAction } from '@pulse-sync/contracts';

export { DELIVERY_ACTIONS } from '@pulse-sync/contracts';
export type { DeliveryAction };

export interface JobIntent {
	action: DeliveryAction;
	/** Only an `add` can send WordPress's welcome email. */
	sendNotification: boolean;
	role: string | null;
}

// `add` does everything `update` does (and creates the user when missing); `update` does
// everything `update_tags` does.
const ACTION_RANK: Record< DeliveryAction, number > = {
	update_tags: 0,
	update: 1,
	add: 2,
};

/**
 * Pure: the intent of a queued job after `incoming` (the later delivery) joins it.
 * @param queued   The queued job's intent.
 * @param incoming The intent of the delivery that arrived later.
 */
export function mergeIntents(
	queued: JobIntent,
	incoming: JobIntent
): JobIntent {
	const action =
		ACTION_RANK[ incoming.action ] > ACTION_RANK[ queued.action ]
			? incoming.action
			: queued.action;
	return {
		action,
		// One job means one user write, so the welcome email goes out at most once even when
		// several `add`s asked for it.
		sendNotification:
			action === 'add' &&
			( queued.sendNotification || incoming.sendNotification ),
		role: incoming.role ?? queued.role,
	};
}

/**
 * The intent of a single delivery; `send_notification` only counts for an `add`.
 * @param action           The delivery's action.
 * @param sendNotification The delivery's send_notification parameter.
 * @param role             The delivery's role parameter, if any.
 */
export function intentOf(
	action: DeliveryAction,
	sendNotification: boolean,
	role: string | null
): JobIntent {
	return {
		action,
		sendNotification: action === 'add' && sendNotification,
		role,
	};
}
