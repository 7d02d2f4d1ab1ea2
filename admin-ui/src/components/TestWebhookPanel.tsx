import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Notice,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { ListenerTestAnswer } from '@pulse-sync/contracts';

import { sendTestWebhook, type TestWebhookResult } from '../api/test-webhook';
import { formatDuration, formatJson } from '../lib/format';
import type { Notices } from './notices';

const HTTP_OK = 200;

/**
 * The listener answers `test` with `200 {"success":true,…}`; anything else was not our endpoint.
 * @param result What the endpoint answered.
 */
function reachedListener( result: TestWebhookResult ): boolean {
	return (
		result.status === HTTP_OK &&
		ListenerTestAnswer.safeParse( result.body ).success
	);
}

export function TestWebhookPanel( { notices }: { notices: Notices } ) {
	const [ sending, setSending ] = useState( false );
	const [ result, setResult ] = useState< TestWebhookResult | null >( null );

	const send = async () => {
		setSending( true );
		try {
			setResult( await sendTestWebhook() );
		} catch ( reason ) {
			notices.notifyError( reason );
		} finally {
			setSending( false );
		}
	};

	return (
		<Card>
			<CardHeader>
				<h2>{ __( 'Test the webhook endpoint', 'pulse-sync' ) }</h2>
			</CardHeader>
			<CardBody>
				<p>
					{ __(
						'Calls this site’s webhook URL with action “test” the way the CRM does, so a firewall, cache or security plugin that blocks webhooks shows up here.',
						'pulse-sync'
					) }
				</p>
				<Button
					variant="secondary"
					onClick={ send }
					isBusy={ sending }
					disabled={ sending }
				>
					{ __( 'Send test webhook', 'pulse-sync' ) }
				</Button>
				{ result && (
					<div className="pulse-sync-result" aria-live="polite">
						{ reachedListener( result ) ? (
							<Notice status="success" isDismissible={ false }>
								{ __(
									'The webhook endpoint answered as the CRM expects.',
									'pulse-sync'
								) }
							</Notice>
						) : (
							<Notice status="error" isDismissible={ false }>
								{ result.error ??
									__(
										'The endpoint did not answer like Pulse Sync. Check that no firewall, cache or security plugin blocks or rewrites requests with “wpf_action” in the query string.',
										'pulse-sync'
									) }
							</Notice>
						) }
						<p>
							{ sprintf(
								/* translators: %s: HTTP status code. */
								__( 'HTTP status: %s', 'pulse-sync' ),
								result.status === null
									? __( 'none', 'pulse-sync' )
									: String( result.status )
							) }
							{ result.durationMs !== null &&
								` (${ formatDuration( result.durationMs ) })` }
						</p>
						<pre data-testid="test-webhook-body">
							{ formatJson( result.body ) }
						</pre>
					</div>
				) }
			</CardBody>
		</Card>
	);
}
