import { restRequest } from './client';
import { isRecord, numberOrNull, stringOrNull } from './guards';

/** What the site's own webhook endpoint answered when the plugin called it the way the CRM does. */
export interface TestWebhookResult {
	status: number | null;
	body: unknown;
	/** The plugin's explanation when the call did not get through at all (DNS, TLS, timeout). */
	error: string | null;
	durationMs: number | null;
}

export function parseTestWebhookResult( raw: unknown ): TestWebhookResult {
	const body = isRecord( raw ) ? raw : {};
	return {
		status: numberOrNull( body.status ),
		body: body.body ?? null,
		error: stringOrNull( body.error ),
		durationMs: numberOrNull( body.duration_ms ),
	};
}

export async function sendTestWebhook(): Promise< TestWebhookResult > {
	return parseTestWebhookResult(
		await restRequest< unknown >( {
			path: '/test-webhook',
			method: 'POST',
		} )
	);
}
