import { Button, Modal, Notice } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { fetchDelivery, isLinkable, type Delivery } from '../api/deliveries';
import { describeError, stateLabel } from '../lib/delivery-labels';
import { formatDateTime, formatDuration, formatJson } from '../lib/format';
import { DeliveryLinkAction } from './DeliveryLinkAction';
import { LoadingState } from './LoadingState';
import { useAsync, useInterval } from './use-async';

export const DETAIL_REFRESH_MS = 5000;

function DeliveryFacts( { delivery }: { delivery: Delivery } ) {
	const error = describeError( delivery.error );
	return (
		<dl className="pulse-sync-facts">
			<dt>{ __( 'Delivery', 'pulse-sync' ) }</dt>
			<dd>{ delivery.id }</dd>
			<dt>{ __( 'Received', 'pulse-sync' ) }</dt>
			<dd>{ formatDateTime( delivery.received_at ) }</dd>
			<dt>{ __( 'Action', 'pulse-sync' ) }</dt>
			<dd>{ delivery.action }</dd>
			<dt>{ __( 'Contact', 'pulse-sync' ) }</dt>
			<dd>{ delivery.contact_id }</dd>
			<dt>{ __( 'Status', 'pulse-sync' ) }</dt>
			<dd>
				{ stateLabel( delivery.state ) }
				{ delivery.result_status
					? ` (${ delivery.result_status })`
					: '' }
			</dd>
			{ delivery.merged_into && (
				<>
					<dt>{ __( 'Merged into', 'pulse-sync' ) }</dt>
					<dd>{ delivery.merged_into }</dd>
				</>
			) }
			<dt>{ __( 'Source address', 'pulse-sync' ) }</dt>
			<dd>{ delivery.source_ip ?? '—' }</dd>
			{ error !== null && (
				<>
					<dt>{ __( 'Error', 'pulse-sync' ) }</dt>
					<dd>{ error }</dd>
				</>
			) }
		</dl>
	);
}

function AttemptList( { delivery }: { delivery: Delivery } ) {
	const attempts = delivery.attempts ?? [];
	if ( attempts.length === 0 ) {
		return <p>{ __( 'No attempts yet.', 'pulse-sync' ) }</p>;
	}
	return (
		<ol>
			{ attempts.map( ( attempt ) => (
				<li key={ attempt.n }>
					{ sprintf(
						/* translators: 1: start time, 2: duration. */
						__( 'Started %1$s, took %2$s', 'pulse-sync' ),
						formatDateTime( attempt.started_at ),
						formatDuration( attempt.duration_ms )
					) }
					{ ' — ' }
					{ describeError( attempt.error ) ??
						__( 'succeeded', 'pulse-sync' ) }
				</li>
			) ) }
		</ol>
	);
}

export function DeliveryDetailModal( {
	deliveryId,
	replays,
	replaying,
	onReplay,
	onLinked,
	onClose,
}: {
	deliveryId: string;
	/** Bumped after each successful replay, so the details load again at once. */
	replays: number;
	replaying: boolean;
	onReplay: ( id: string ) => void;
	/** After a link by hand, which also replayed the delivery (e.g. to reload the log). */
	onLinked?: () => void;
	onClose: () => void;
} ) {
	const { data, error, loading, reload } = useAsync(
		() => fetchDelivery( deliveryId ),
		[ deliveryId, replays ]
	);
	useInterval( reload, DETAIL_REFRESH_MS );
	const [ linked, setLinked ] = useState( false );

	return (
		<Modal
			className="pulse-sync-modal"
			title={ __( 'Delivery details', 'pulse-sync' ) }
			onRequestClose={ onClose }
		>
			{ loading && <LoadingState /> }
			{ error !== null && (
				<Notice status="error" isDismissible={ false }>
					{ error.message }
				</Notice>
			) }
			{ data !== null && (
				<>
					<DeliveryFacts delivery={ data } />
					<h3>{ __( 'Request', 'pulse-sync' ) }</h3>
					<p>
						{ __(
							'Secrets such as the access key are removed by the server.',
							'pulse-sync'
						) }
					</p>
					<pre data-testid="delivery-request">
						{ formatJson( data.params ) }
					</pre>
					<h3>{ __( 'Attempts', 'pulse-sync' ) }</h3>
					<AttemptList delivery={ data } />
					{ linked && (
						<Notice status="success" isDismissible={ false }>
							{ __(
								'Linked. The delivery was queued again.',
								'pulse-sync'
							) }
						</Notice>
					) }
					{ isLinkable( data ) && (
						<DeliveryLinkAction
							deliveryId={ data.id }
							onLinked={ () => {
								setLinked( true );
								reload();
								onLinked?.();
							} }
						/>
					) }
					{ data.state === 'failed' && (
						<Button
							variant="primary"
							isBusy={ replaying }
							disabled={ replaying }
							onClick={ () => onReplay( data.id ) }
						>
							{ __( 'Replay', 'pulse-sync' ) }
						</Button>
					) }
				</>
			) }
		</Modal>
	);
}
