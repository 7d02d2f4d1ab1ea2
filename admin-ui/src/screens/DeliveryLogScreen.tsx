import { Button, Flex, Notice } from '@wordpress/components';
import { useCallback, useMemo, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import {
	fetchDeliveries,
	replayDelivery,
	type DeliveryFilters as Filters,
} from '../api/deliveries';
import { DeliveryDetailModal } from '../components/DeliveryDetailModal';
import { DeliveryFilters } from '../components/DeliveryFilters';
import { DeliveryTable } from '../components/DeliveryTable';
import { LoadingState } from '../components/LoadingState';
import { NoticeList, useNotices } from '../components/notices';
import { useAsync, useInterval, useMountedRef } from '../components/use-async';
import { useDebounced } from '../components/use-debounced';

export const PER_PAGE = 20;
/** The log is a live view: new webhooks and retries show up without a reload. */
export const LOG_REFRESH_MS = 5000;

const FILTER_DELAY_MS = 300;

const NO_FILTERS: Filters = { status: '', action: '', search: '' };

export function DeliveryLogScreen() {
	const [ filters, setFilters ] = useState< Filters >( NO_FILTERS );
	const [ page, setPage ] = useState( 1 );
	const [ openId, setOpenId ] = useState< string | null >( null );
	const [ replaying, setReplaying ] = useState< string | null >( null );
	const [ replays, setReplays ] = useState( 0 );
	const notices = useNotices();
	const mounted = useMountedRef();
	const { notify, notifyError } = notices;

	// Typing in the search box sends one request once it pauses; the selects apply at once.
	const search = useDebounced( filters.search, FILTER_DELAY_MS );
	const queryFilters = useMemo(
		() => ( { status: filters.status, action: filters.action, search } ),
		[ filters.status, filters.action, search ]
	);
	const log = useAsync(
		() => fetchDeliveries( queryFilters, page, PER_PAGE ),
		[ queryFilters, page ]
	);
	const { reload } = log;
	useInterval( reload, LOG_REFRESH_MS );

	const applyFilters = ( next: Filters ) => {
		setFilters( next );
		setPage( 1 );
	};

	const replay = useCallback(
		async ( id: string ) => {
			setReplaying( id );
			try {
				await replayDelivery( id );
				if ( mounted.current ) {
					setReplays( ( count ) => count + 1 );
					notify(
						'success',
						__( 'The delivery was queued again.', 'pulse-sync' )
					);
					reload();
				}
			} catch ( reason ) {
				if ( mounted.current ) {
					notifyError( reason );
				}
			} finally {
				if ( mounted.current ) {
					setReplaying( null );
				}
			}
		},
		[ mounted, notify, notifyError, reload ]
	);

	// The details may close once the link button is gone (the modal closes when focus leaves
	// it), so the screen says it too, as it does for a replay.
	const linked = useCallback( () => {
		notify(
			'success',
			__( 'Linked. The delivery was queued again.', 'pulse-sync' )
		);
		reload();
	}, [ notify, reload ] );

	const total = log.data?.total ?? 0;
	const pageCount = Math.max( 1, Math.ceil( total / PER_PAGE ) );
	const items = log.data?.items ?? [];

	return (
		<div className="pulse-sync-screen">
			<NoticeList
				notices={ notices.notices }
				onDismiss={ notices.dismiss }
			/>
			<DeliveryFilters filters={ filters } onChange={ applyFilters } />
			{ log.error !== null && (
				<Notice status="error" isDismissible={ false }>
					{ log.error.message }
				</Notice>
			) }
			{ log.loading && <LoadingState /> }
			{ ! log.loading && log.data !== null && items.length === 0 && (
				<p>{ __( 'No deliveries match.', 'pulse-sync' ) }</p>
			) }
			{ items.length > 0 && (
				<>
					<DeliveryTable
						deliveries={ items }
						replaying={ replaying }
						onShowDetails={ setOpenId }
						onReplay={ replay }
					/>
					<Flex justify="flex-start">
						<Button
							variant="secondary"
							disabled={ page <= 1 }
							onClick={ () => setPage( page - 1 ) }
						>
							{ __( 'Previous page', 'pulse-sync' ) }
						</Button>
						<span>
							{ sprintf(
								/* translators: 1: current page, 2: number of pages, 3: number of deliveries. */
								__(
									'Page %1$d of %2$d (%3$d deliveries)',
									'pulse-sync'
								),
								page,
								pageCount,
								total
							) }
						</span>
						<Button
							variant="secondary"
							disabled={ page >= pageCount }
							onClick={ () => setPage( page + 1 ) }
						>
							{ __( 'Next page', 'pulse-sync' ) }
						</Button>
					</Flex>
				</>
			) }
			{ openId !== null && (
				<DeliveryDetailModal
					deliveryId={ openId }
					replays={ replays }
					replaying={ replaying === openId }
					onReplay={ replay }
					onLinked={ linked }
					onClose={ () => setOpenId( null ) }
				/>
			) }
		</div>
	);
}
