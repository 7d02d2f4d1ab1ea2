import type {
	Delivery,
	DeliveryAction,
	DeliveryPage,
	JobState,
} from '@pulse-sync/contracts';
import { restRequest } from './client';

export type {
	Delivery,
	DeliveryAction,
	DeliveryPage,
	JobState as DeliveryState,
};

/** A recorded failure: of the delivery or of one of its attempts. */
export type DeliveryError =
	Delivery[ 'error' ] | Delivery[ 'attempts' ][ number ][ 'error' ];

export interface DeliveryFilters {
	status: JobState | '';
	action: DeliveryAction | '';
	/** A contact id (digits) or an email address. */
	search: string;
}

export function filtersToQuery( filters: DeliveryFilters ) {
	const search = filters.search.trim();
	const isContactId = /^\d+$/.test( search );
	return {
		status: filters.status || undefined,
		action: filters.action || undefined,
		contact_id: isContactId ? search : undefined,
		email: ! isContactId && search !== '' ? search : undefined,
	};
}

export function fetchDeliveries(
	filters: DeliveryFilters,
	page: number,
	perPage: number
): Promise< DeliveryPage > {
	return restRequest< DeliveryPage >( {
		path: '/deliveries',
		query: { ...filtersToQuery( filters ), page, per_page: perPage },
	} );
}

export function fetchDelivery( id: string ): Promise< Delivery > {
	return restRequest< Delivery >( {
		path: `/deliveries/${ encodeURIComponent( id ) }`,
	} );
}

export function replayDelivery(
	id: string
): Promise< { delivery_id: string; state: JobState } > {
	return restRequest( {
		path: `/deliveries/${ encodeURIComponent( id ) }/replay`,
		method: 'POST',
	} );
}

/**
 * Failures an owner's link by hand resolves: the contact's email belongs to a user linked to
 * another contact, or linking by email is off (plugin: AccountLink.php).
 */
export const LINKABLE_ERRORS: readonly string[] = [
	'user_linked_to_other_contact',
	'email_link_disabled',
];

export function isLinkable( delivery: Delivery ): boolean {
	const code = delivery.error?.code;
	return (
		delivery.state === 'failed' &&
		code !== undefined &&
		LINKABLE_ERRORS.includes( code )
	);
}

/** `GET /deliveries/{id}/link`: the user a link by hand would point at the delivery's contact. */
export interface DeliveryLink {
	contact_id: number;
	user: { id: number; login: string; display_name: string; email: string };
	/** The contact the user is linked to now, if any. */
	linked_contact_id: number | null;
}

export function fetchDeliveryLink( id: string ): Promise< DeliveryLink > {
	return restRequest< DeliveryLink >( {
		path: `/deliveries/${ encodeURIComponent( id ) }/link`,
	} );
}

/** Links the user to the delivery's contact, then the plugin replays the delivery. */
export function linkDelivery(
	id: string
): Promise< DeliveryLink & { replay: { delivery_id: string } } > {
	return restRequest( {
		path: `/deliveries/${ encodeURIComponent( id ) }/link`,
		method: 'POST',
	} );
}
