import { Button, Notice } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { errorMessage } from '../api/client';
import { fetchDeliveryLink, linkDelivery } from '../api/deliveries';
import { useAsync, useMountedRef } from './use-async';

/**
 * "Link this contact to user …" for a delivery that failed because a webhook may not link its
 * contact to the user with its email (that user is linked to another contact, or linking by
 * email is off). The plugin links and then replays the delivery.
 * @param props
 * @param props.deliveryId The failed delivery.
 * @param props.onLinked   Called after the link and the replay went through (the caller says so).
 */
export function DeliveryLinkAction( {
	deliveryId,
	onLinked,
}: {
	deliveryId: string;
	onLinked: () => void;
} ) {
	const target = useAsync(
		() => fetchDeliveryLink( deliveryId ),
		[ deliveryId ]
	);
	const [ linking, setLinking ] = useState( false );
	const [ failure, setFailure ] = useState< string | null >( null );
	const mounted = useMountedRef();

	const link = async () => {
		setLinking( true );
		try {
			await linkDelivery( deliveryId );
			// The delivery is queued again, so the details stop offering the link (and unmount this).
			onLinked();
		} catch ( reason ) {
			if ( mounted.current ) {
				setFailure( errorMessage( reason ) );
			}
		} finally {
			if ( mounted.current ) {
				setLinking( false );
			}
		}
	};

	if ( target.error !== null ) {
		return <p role="alert">{ target.error.message }</p>;
	}
	const data = target.data;
	if ( data === null ) {
		return null;
	}
	const userLabel = sprintf(
		/* translators: 1: username, 2: user id. */
		__( '%1$s (#%2$d)', 'pulse-sync' ),
		data.user.login,
		data.user.id
	);
	return (
		<div className="pulse-sync-link-action">
			<h3>{ __( 'Link by hand', 'pulse-sync' ) }</h3>
			<p>
				{ data.linked_contact_id === null
					? sprintf(
							/* translators: 1: user, 2: email address, 3: CRM contact id. */
							__(
								'The user %1$s has this contact’s email address (%2$s) and is linked to no contact. Linking it to contact %3$d lets this contact drive its fields and tags.',
								'pulse-sync'
							),
							userLabel,
							data.user.email,
							data.contact_id
						)
					: sprintf(
							/* translators: 1: user, 2: email address, 3: CRM contact id it is linked to, 4: CRM contact id of this delivery. */
							__(
								'The user %1$s has this contact’s email address (%2$s) and is linked to contact %3$d. Linking it to contact %4$d moves the link: contact %3$d no longer drives it.',
								'pulse-sync'
							),
							userLabel,
							data.user.email,
							data.linked_contact_id,
							data.contact_id
						) }
			</p>
			{ failure !== null && (
				<Notice status="error" isDismissible={ false }>
					{ failure }
				</Notice>
			) }
			<Button
				variant="secondary"
				isBusy={ linking }
				disabled={ linking }
				onClick={ link }
			>
				{ sprintf(
					/* translators: %s: user. */
					__( 'Link this contact to user %s', 'pulse-sync' ),
					userLabel
				) }
			</Button>
		</div>
	);
}
