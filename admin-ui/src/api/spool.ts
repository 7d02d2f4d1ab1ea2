import { SpooledFailures } from '@pulse-sync/contracts';
import { restRequest } from './client';

export type { SpooledFailure } from '@pulse-sync/contracts';
export type { SpooledFailures };

/** `GET /spool/failed`, read by its contract (docs/architecture.md, "Panel → plugin"). */
export async function fetchSpooledFailures(): Promise< SpooledFailures > {
	return SpooledFailures.parse(
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
