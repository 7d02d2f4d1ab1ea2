import type { DeliveryAction } from '../../src/queue/merge';
import type { NewDelivery } from '../../src/queue/queue';

let counter = 0;

/**
 * A delivery as the plugin would forward it; ids are unique per test run.
 * @param contactId The CRM contact id.
 * @param action    The delivery action.
 * @param overrides Fields to replace.
 */
export function newDelivery(
	contactId: number,
	action: DeliveryAction = 'update',
	overrides: Partial< NewDelivery > = {}
): NewDelivery {
	counter++;
	return {
		id: `msg_${ String( counter ).padStart( 32, '0' ) }`,
		action,
		contactId,
		params: {},
		sendNotification: false,
		role: null,
		sourceIp: '203.0.113.5',
		receivedAt: new Date().toISOString(),
		...overrides,
	};
}
