import { restRequest } from './client';

export type DeliveryAction = 'add' | 'update' | 'update_tags';
export type DeliveryState = 'queued' | 'in_progress' | 'done' | 'failed';

/** A failure as the bridge records it; older rows may carry a plain string. */
export type DeliveryError =
	string | { code?: string; message?: string; http_status?: number } | null;

export interface DeliveryAttempt {
	n: number;
	started_at: string;
	duration_ms: number | null;
	error: DeliveryError;
}

/** `Delivery` from docs/architecture.md; `params` arrive with secrets already redacted. */
export interface Delivery {
	id: string;
	/** Who sent it: the CRM's webhook, or one of the bridge's import runs (absent from an older bridge). */
	source?: 'webhook' | 'import' | 'resync' | 'reconcile';
	received_at: string;
	action: DeliveryAction;
	contact_id: number;
	params: Record< string, unknown >;
	source_ip: string | null;
	state: DeliveryState;
	result_status: string | null;
	user_id: number | null;
	email: string | null;
	error: DeliveryError;
	attempts: DeliveryAttempt[];
	merged_into?: string | null;
	duration_ms: number | null;
}

export interface DeliveryFilters {
	status: DeliveryState | '';
	action: DeliveryAction | '';
	/** A contact id (digits) or an email address. */
	search: string;
}

export interface DeliveryPage {
	items: Delivery[];
	total: number;
	page: number;
	per_page: number;
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
): Promise< { delivery_id: string; state: DeliveryState } > {
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
	const code =
		typeof delivery.error === 'object' && delivery.error !== null
			? delivery.error.code
			: undefined;
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
