import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { Delivery } from '../api/deliveries';
import { actionLabel, stateLabel } from '../lib/delivery-labels';
import { formatDateTime, formatDuration } from '../lib/format';
import { crmContactUrl, userEditUrl } from '../lib/links';

function ContactLink( { contactId }: { contactId: number } ) {
	const url = crmContactUrl( contactId );
	return url === null ? (
		<>{ contactId }</>
	) : (
		<a href={ url } target="_blank" rel="noopener noreferrer">
			{ contactId }
			<span className="screen-reader-text">
				{ __(
					'(opens the contact in the CRM, in a new tab)',
					'pulse-sync'
				) }
			</span>
		</a>
	);
}

function UserLink( { delivery }: { delivery: Delivery } ) {
	if ( delivery.user_id === null ) {
		return <>{ delivery.email ?? '—' }</>;
	}
	return (
		<a href={ userEditUrl( delivery.user_id ) }>
			{ delivery.email ??
				sprintf(
					/* translators: %d: WordPress user ID. */
					__( 'User %d', 'pulse-sync' ),
					delivery.user_id
				) }
		</a>
	);
}

export function DeliveryTable( {
	deliveries,
	replaying,
	onShowDetails,
	onReplay,
}: {
	deliveries: Delivery[];
	/** Id of the delivery whose replay is being sent, if any. */
	replaying: string | null;
	onShowDetails: ( id: string ) => void;
	onReplay: ( id: string ) => void;
} ) {
	return (
		<table className="wp-list-table widefat striped">
			<thead>
				<tr>
					<th scope="col">{ __( 'Time', 'pulse-sync' ) }</th>
					<th scope="col">{ __( 'Action', 'pulse-sync' ) }</th>
					<th scope="col">{ __( 'Contact', 'pulse-sync' ) }</th>
					<th scope="col">{ __( 'Status', 'pulse-sync' ) }</th>
					<th scope="col">{ __( 'User', 'pulse-sync' ) }</th>
					<th scope="col">{ __( 'Duration', 'pulse-sync' ) }</th>
					<th scope="col">{ __( 'Attempts', 'pulse-sync' ) }</th>
					<th scope="col">
						<span className="screen-reader-text">
							{ __( 'Actions', 'pulse-sync' ) }
						</span>
					</th>
				</tr>
			</thead>
			<tbody>
				{ deliveries.map( ( delivery ) => (
					<tr key={ delivery.id }>
						<td>{ formatDateTime( delivery.received_at ) }</td>
						<td>{ actionLabel( delivery ) }</td>
						<td>
							<ContactLink contactId={ delivery.contact_id } />
						</td>
						<td>
							{ stateLabel( delivery.state ) }
							{ delivery.result_status
								? ` (${ delivery.result_status })`
								: '' }
						</td>
						<td>
							<UserLink delivery={ delivery } />
						</td>
						<td>{ formatDuration( delivery.duration_ms ) }</td>
						<td>{ delivery.attempts?.length ?? 0 }</td>
						<td>
							<Button
								variant="link"
								onClick={ () => onShowDetails( delivery.id ) }
							>
								{ __( 'Details', 'pulse-sync' ) }
								<span className="screen-reader-text">{ ` ${ delivery.id }` }</span>
							</Button>
							{ delivery.state === 'failed' && (
								<>
									{ ' ' }
									<Button
										variant="secondary"
										isBusy={ replaying === delivery.id }
										disabled={ replaying !== null }
										onClick={ () =>
											onReplay( delivery.id )
										}
									>
										{ __( 'Replay', 'pulse-sync' ) }
										<span className="screen-reader-text">{ ` ${ delivery.id }` }</span>
									</Button>
								</>
							) }
						</td>
					</tr>
				) ) }
			</tbody>
		</table>
	);
}
