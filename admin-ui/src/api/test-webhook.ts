import { TestWebhookAnswer } from '@pulse-sync/contracts';
import { restRequest } from './client';

/** What the site's own webhook endpoint answered when the plugin called it the way the CRM does. */
export interface TestWebhookResult {
	status: number | null;
	body: unknown;
	/** The plugin's explanation when the call did not get through at all (DNS, TLS, timeout). */
	error: string | null;
	durationMs: number | null;
}

export async function sendTestWebhook(): Promise< TestWebhookResult > {
	const { duration_ms: durationMs, ...answer } = TestWebhookAnswer.parse(
		await restRequest< unknown >( {
			path: '/test-webhook',
			method: 'POST',
		} )
	);
	return { ...answer, durationMs };
}
