import { z } from 'zod/mini';
import { NumberOrNull, TextOrNull } from './lenient';

/**
 * docs/architecture.md, "Panel → plugin": `POST /test-webhook`, what the site's own webhook
 * endpoint answered when the plugin called it the way the CRM does.
 */
export const TestWebhookAnswer = z.catch(
	z.object( {
		status: NumberOrNull,
		body: z.pipe(
			z.unknown(),
			z.transform( ( body ) => body ?? null )
		),
		/** The plugin's explanation when the call did not get through at all (DNS, TLS, timeout). */
		error: TextOrNull,
		duration_ms: NumberOrNull,
	} ),
	{ status: null, body: null, error: null, duration_ms: null }
);
export type TestWebhookAnswer = z.infer< typeof TestWebhookAnswer >;

/** The listener's answer to a `test` webhook (plugin/includes/Webhook/Answer.php): our endpoint. */
export const ListenerTestAnswer = z.object( { success: z.literal( true ) } );
