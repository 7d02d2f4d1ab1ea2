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
