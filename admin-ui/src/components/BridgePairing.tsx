import {
	Card,
	CardBody,
	CardHeader,
	Flex,
	FlexBlock,
} from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { adminConfig } from '../config';
import { CopyButton } from './CopyButton';

const SECRET_OPTION = 'pulse_sync_bridge_secret';

/**
 * The command line that starts the bridge for this site. The secret never reaches the browser, so
 * the command reads it from WordPress with WP-CLI on the server.
 * @param siteUrl
 */
export function bridgeStartCommand( siteUrl: string ): string {
	return `PULSE_SYNC_SITE_URL='${ siteUrl }' PULSE_SYNC_BRIDGE_SECRET="$(wp option get ${ SECRET_OPTION })" npm start -w bridge`;
}

/** What the bridge must be started with, always on the Status screen (docs/architecture.md). */
export function BridgePairing() {
	const { bridge } = adminConfig();
	const command = bridgeStartCommand( bridge.siteUrl );
	return (
		<Card>
			<CardHeader>
				<h2>{ __( 'Starting the bridge', 'pulse-sync' ) }</h2>
			</CardHeader>
			<CardBody>
				<dl className="pulse-sync-facts">
					<dt>PULSE_SYNC_SITE_URL</dt>
					<dd>{ bridge.siteUrl }</dd>
					<dt>PULSE_SYNC_BRIDGE_SECRET</dt>
					<dd>
						{ bridge.secretHint }{ ' ' }
						{ __(
							'(the full value is in the WordPress option pulse_sync_bridge_secret)',
							'pulse-sync'
						) }
					</dd>
				</dl>
				<p>
					{ __(
						'Run this in the Pulse Sync source folder on the server. It reads the secret with WP-CLI; add --path=/path/to/wordpress to the wp command when WordPress is installed elsewhere.',
						'pulse-sync'
					) }
				</p>
				<Flex align="flex-start">
					<FlexBlock>
						<pre data-testid="bridge-start-command">
							{ command }
						</pre>
					</FlexBlock>
					<CopyButton
						text={ command }
						label={ __( 'Copy the start command', 'pulse-sync' ) }
					/>
				</Flex>
			</CardBody>
		</Card>
	);
}
