/**
 * The body of `POST /v1/deliveries`, checked by its contract (`DeliveryRequest` in contracts/),
 * as the queue stores it.
 */
import { DeliveryRequest } from '@pulse-sync/contracts';
import { redact } from '../log';
import type { NewDelivery } from '../queue/queue';
import { parseBody } from './input';

/**
 * The delivery and how long to wait for it; a 400 naming the first bad field otherwise.
 * @param body The parsed request body.
 */
export function parseDelivery( body: unknown ): {
	delivery: NewDelivery;
	waitMs: number;
} {
	const input = parseBody( DeliveryRequest, body );
	return {
		delivery: {
			id: input.id,
			action: input.action,
			contactId: input.contact_id,
			params: redact( input.params.all ) as Record< string, unknown >,
			sendNotification: input.params.send_notification,
			role: input.params.role,
			sourceIp: input.source_ip,
			receivedAt: input.received_at ?? new Date().toISOString(),
		},
		waitMs: input.wait_ms,
	};
}
