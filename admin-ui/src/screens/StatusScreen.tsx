import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Notice,
} from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { fetchStatus, type PanelStatus } from '../api/status';
import { adminConfig } from '../config';
import { BridgePairing } from '../components/BridgePairing';
import { CrmPaceFacts } from '../components/CrmPaceFacts';
import { CrmStatusSummary } from '../components/CrmStatusSummary';
import { LoadingState } from '../components/LoadingState';
import { SpoolFailures } from '../components/SpoolFailures';
import { PairedBridgeSummary } from '../components/PairedBridgeSummary';
import { useAsync } from '../components/use-async';
import { formatAge, formatDateTime } from '../lib/format';

function BridgeDown( { status }: { status: PanelStatus } ) {
	return (
		<>
			<Notice status="error" isDismissible={ false }>
				{ status.bridgeUrl
					? sprintf(
							/* translators: %s: bridge URL. */
							__(
								'The bridge at %s does not answer.',
								'pulse-sync'
							),
							status.bridgeUrl
						)
					: __( 'The bridge does not answer.', 'pulse-sync' ) }
				{ status.bridgeError !== null && ` ${ status.bridgeError }` }
			</Notice>
			<p>
				{ __(
					'Webhooks are still accepted: they wait in the site’s spool and are handed to the bridge when it is back. Start the bridge, or pair one under “Pair a bridge” below.',
					'pulse-sync'
				) }
			</p>
		</>
	);
}

// The queue's rows of the bridge facts list.
function QueueFacts( { status }: { status: PanelStatus } ) {
	const { queue } = status;
	if ( queue === null ) {
		return null;
	}
	return (
		<>
			<dt>{ __( 'Queue depth', 'pulse-sync' ) }</dt>
			<dd data-testid="queue-depth">
				{ queue.pending + queue.in_progress }
			</dd>
			<dt>{ __( 'Oldest waiting delivery', 'pulse-sync' ) }</dt>
			<dd>
				{ queue.oldest_pending_at === null
					? __( 'None', 'pulse-sync' )
					: `${ formatDateTime( queue.oldest_pending_at ) } (${ formatAge( queue.oldest_pending_at ) })` }
			</dd>
			<dt>{ __( 'Failed deliveries', 'pulse-sync' ) }</dt>
			<dd data-testid="failed-count">{ queue.failed }</dd>
			{ status.spooled !== null && (
				<>
					<dt>{ __( 'Held in the site’s spool', 'pulse-sync' ) }</dt>
					<dd>{ status.spooled }</dd>
				</>
			) }
		</>
	);
}

export function StatusScreen() {
	const { data, error, loading, reload } = useAsync( fetchStatus );
	const { version } = adminConfig();
	// Once shown, the refused deliveries stay on screen, so the outcome of the last replay or
	// discard can still be read after the count drops to 0.
	const [ showRefused, setShowRefused ] = useState( false );
	useEffect( () => {
		if ( data !== null && data.spoolFailed > 0 ) {
			setShowRefused( true );
		}
	}, [ data ] );

	if ( loading ) {
		return <LoadingState />;
	}
	return (
		<div className="pulse-sync-screen">
			{ error !== null && (
				<Notice status="error" isDismissible={ false }>
					{ error.message }
				</Notice>
			) }
			{ data !== null && (
				<>
					<Card>
						<CardHeader>
							<h2>{ __( 'Bridge', 'pulse-sync' ) }</h2>
						</CardHeader>
						<CardBody>
							{ data.bridgeReachable ? (
								<Notice
									status="success"
									isDismissible={ false }
								>
									{ __(
										'The bridge is reachable.',
										'pulse-sync'
									) }
								</Notice>
							) : (
								<BridgeDown status={ data } />
							) }
							<PairedBridgeSummary pairing={ data.pairing } />
							<dl className="pulse-sync-facts">
								<dt>
									{ __( 'Plugin version', 'pulse-sync' ) }
								</dt>
								<dd>
									{ data.pluginVersion ?? ( version || '—' ) }
								</dd>
								<dt>
									{ __( 'Bridge version', 'pulse-sync' ) }
								</dt>
								<dd>{ data.bridgeVersion ?? '—' }</dd>
								<QueueFacts status={ data } />
							</dl>
						</CardBody>
					</Card>
					{ showRefused && (
						<SpoolFailures revision={ data } onChange={ reload } />
					) }
					<Card>
						<CardHeader>
							<h2>{ __( 'CRM', 'pulse-sync' ) }</h2>
						</CardHeader>
						<CardBody>
							<CrmStatusSummary crm={ data.crm } />
							<CrmPaceFacts pace={ data.crm?.pace ?? null } />
						</CardBody>
					</Card>
				</>
			) }
			<BridgePairing />
			<Button variant="secondary" onClick={ reload }>
				{ __( 'Refresh', 'pulse-sync' ) }
			</Button>
		</div>
	);
}
