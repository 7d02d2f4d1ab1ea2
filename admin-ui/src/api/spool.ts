import { restRequest } from './client';
import { isRecord, numberOrNull, stringOrNull } from './guards';

/**
 * A delivery that waited in the site's spool while the bridge was away and that the bridge then
 * refused (a 4xx for that delivery). It never reached the bridge's delivery log, so the plugin keeps
 * it (`GET /spool/failed`) until the owner replays or discards it.
 */
export interface SpooledFailure {
	id: number;
	delivery_id: string;
	action: string;
	contact_id: number | null;
	received_at: string | null;
	attempts: number;
	/** The bridge's refusal, e.g. `HTTP 400 invalid_request: …`. */
	error: string;
	failed_at: string | null;
}

export interface SpooledFailures {
	items: SpooledFailure[];
	total: number;
}

function parseFailure( raw: unknown ): SpooledFailure | null {
	if ( ! isRecord( raw ) ) {
		return null;
	}
	const id = numberOrNull( raw.id );
	if ( id === null ) {
		return null;
	}
	return {
		id,
		delivery_id: stringOrNull( raw.delivery_id ) ?? '',
		action: stringOrNull( raw.action ) ?? '',
		contact_id: numberOrNull( raw.contact_id ),
		received_at: stringOrNull( raw.received_at ),
		attempts: numberOrNull( raw.attempts ) ?? 0,
		error: stringOrNull( raw.error ) ?? '',
		failed_at: stringOrNull( raw.failed_at ),
	};
}

/**
 * `GET /spool/failed` is `{"items":[…],"total"}` (the newest 100 items).
 * @param body The answer.
 */
export function parseSpooledFailures( body: unknown ): SpooledFailures {
	const root = isRecord( body ) ? body : {};
	const items = Array.isArray( root.items )
		? root.items
				.map( parseFailure )
				.filter( ( item ): item is SpooledFailure => item !== null )
		: [];
	return { items, total: numberOrNull( root.total ) ?? items.length };
}

export async function fetchSpooledFailures(): Promise< SpooledFailures > {
	return parseSpooledFailures(
		await restRequest< unknown >( { path: '/spool/failed' } )
	);
}

/**
 * Puts a refused delivery back in line; the next hand-over (within a minute) tries it again.
 * @param id Spool row id.
 */
export function replaySpooled( id: number ): Promise< unknown > {
	return restRequest( { path: `/spool/${ id }/replay`, method: 'POST' } );
}

/**
 * Deletes a refused delivery for good.
 * @param id Spool row id.
 */
export function discardSpooled( id: number ): Promise< unknown > {
	return restRequest( { path: `/spool/${ id }`, method: 'DELETE' } );
}
