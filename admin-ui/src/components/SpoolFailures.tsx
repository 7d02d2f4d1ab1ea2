import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Notice,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import {
	discardSpooled,
	fetchSpooledFailures,
	replaySpooled,
	type SpooledFailure,
} from '../api/spool';
import { formatDateTime } from '../lib/format';
import { ConfirmModal } from './ConfirmModal';
import { LoadingState } from './LoadingState';
import { NoticeList, useNotices } from './notices';
import { useAsync } from './use-async';

type Busy = { id: number; kind: 'replay' | 'discard' } | null;

function FailureRow( {
	failure,
	busy,
	onReplay,
	onDiscard,
}: {
	failure: SpooledFailure;
	busy: Busy;
	onReplay: () => void;
	onDiscard: () => void;
} ) {
	const label = ` ${ failure.delivery_id }`;
	return (
		<tr>
			<td>
				{ failure.received_at === null
					? '—'
					: formatDateTime( failure.received_at ) }
			</td>
			<td>{ failure.action || '—' }</td>
			<td>{ failure.contact_id ?? '—' }</td>
			<td>{ failure.error }</td>
			<td>
				<Button
					variant="secondary"
					isBusy={ busy?.id === failure.id && busy.kind === 'replay' }
					disabled={ busy !== null }
					onClick={ onReplay }
				>
					{ __( 'Replay', 'pulse-sync' ) }
					<span className="screen-reader-text">{ label }</span>
				</Button>{ ' ' }
				<Button
					variant="tertiary"
					isDestructive
					disabled={ busy !== null }
					onClick={ onDiscard }
				>
					{ __( 'Discard', 'pulse-sync' ) }
					<span className="screen-reader-text">{ label }</span>
				</Button>
			</td>
		</tr>
	);
}

/**
 * Deliveries that waited in the site's spool while the bridge was away and that the bridge then
 * refused: they are not in the delivery log, so they are listed here to be replayed or discarded.
 * @param root0
 * @param root0.revision Changes whenever the status was loaded again; the list is loaded again then.
 * @param root0.onChange Called after a replay or a discard, to load the status (and so this list) again.
 */
export function SpoolFailures( {
	revision,
	onChange,
}: {
	revision: unknown;
	onChange: () => Promise< void >;
} ) {
	const { data, error, loading } = useAsync( fetchSpooledFailures, [
		revision,
	] );
	const notices = useNotices();
	const [ busy, setBusy ] = useState< Busy >( null );
	const [ confirming, setConfirming ] = useState< SpooledFailure | null >(
		null
	);

	const act = async (
		failure: SpooledFailure,
		kind: 'replay' | 'discard'
	) => {
		setBusy( { id: failure.id, kind } );
		try {
			if ( kind === 'replay' ) {
				await replaySpooled( failure.id );
				notices.notify(
					'success',
					__(
						'The delivery is back in line: it is handed to the bridge within a minute.',
						'pulse-sync'
					)
				);
			} else {
				await discardSpooled( failure.id );
				notices.notify(
					'success',
					__( 'The delivery was discarded.', 'pulse-sync' )
				);
			}
			await onChange();
		} catch ( reason ) {
			notices.notifyError( reason );
		} finally {
			setBusy( null );
			setConfirming( null );
		}
	};

	return (
		<Card>
			<CardHeader>
				<h2>{ __( 'Deliveries the bridge refused', 'pulse-sync' ) }</h2>
			</CardHeader>
			<CardBody>
				<p>
					{ __(
						'These webhooks waited in the site’s spool while the bridge was away, and the bridge then refused them, so they are not in the delivery log. Replay one once the cause is fixed (for example after updating the bridge), or discard it.',
						'pulse-sync'
					) }
				</p>
				<NoticeList
					notices={ notices.notices }
					onDismiss={ notices.dismiss }
				/>
				{ error !== null && (
					<Notice status="error" isDismissible={ false }>
						{ error.message }
					</Notice>
				) }
				{ loading && <LoadingState /> }
				{ data !== null && data.items.length > 0 && (
					<table
						className="wp-list-table widefat striped"
						data-testid="spool-failures"
					>
						<thead>
							<tr>
								<th scope="col">
									{ __( 'Received', 'pulse-sync' ) }
								</th>
								<th scope="col">
									{ __( 'Action', 'pulse-sync' ) }
								</th>
								<th scope="col">
									{ __( 'Contact', 'pulse-sync' ) }
								</th>
								<th scope="col">
									{ __(
										'Why the bridge refused it',
										'pulse-sync'
									) }
								</th>
								<th scope="col">
									<span className="screen-reader-text">
										{ __( 'Actions', 'pulse-sync' ) }
									</span>
								</th>
							</tr>
						</thead>
						<tbody>
							{ data.items.map( ( failure ) => (
								<FailureRow
									key={ failure.id }
									failure={ failure }
									busy={ busy }
									onReplay={ () => act( failure, 'replay' ) }
									onDiscard={ () => setConfirming( failure ) }
								/>
							) ) }
						</tbody>
					</table>
				) }
				{ data !== null && data.items.length === 0 && (
					<p>
						{ __(
							'No refused delivery is left in the spool.',
							'pulse-sync'
						) }
					</p>
				) }
				{ data !== null && data.total > data.items.length && (
					<p>
						{ sprintf(
							/* translators: 1: deliveries shown, 2: all refused deliveries. */
							__(
								'Showing the newest %1$d of %2$d.',
								'pulse-sync'
							),
							data.items.length,
							data.total
						) }
					</p>
				) }
				{ confirming !== null && (
					<ConfirmModal
						title={ __( 'Discard this delivery?', 'pulse-sync' ) }
						confirmLabel={ __( 'Discard', 'pulse-sync' ) }
						busy={ busy !== null }
						onConfirm={ () => act( confirming, 'discard' ) }
						onCancel={ () => setConfirming( null ) }
					>
						<p>
							{ __(
								'The webhook is deleted from the site and never processed. The CRM is not told.',
								'pulse-sync'
							) }
						</p>
					</ConfirmModal>
				) }
			</CardBody>
		</Card>
	);
}
