import type { ImportCounts, ImportRun } from '@pulse-sync/contracts';
import { restRequest } from './client';

export type { ImportCounts, ImportRun };

export type ImportCommand = 'pause' | 'resume' | 'cancel';

export type NewRun =
	| {
			kind: 'import';
			tag_id: number;
			role: string;
			send_notification: boolean;
	  }
	| { kind: 'resync'; mapped_fields: boolean };

export async function fetchRuns(): Promise< ImportRun[] > {
	return (
		await restRequest< { runs: ImportRun[] } >( { path: '/imports' } )
	).runs;
}

export async function countTagged( tagId: number ): Promise< number > {
	const body = await restRequest< { contacts: number } >( {
		path: '/imports/preview',
		query: { tag_id: tagId },
	} );
	return body.contacts;
}

export function startRun( run: NewRun ): Promise< ImportRun > {
	return restRequest< ImportRun >( {
		path: '/imports',
		method: 'POST',
		data: run,
	} );
}

export function fetchRun( id: number ): Promise< ImportRun > {
	return restRequest< ImportRun >( { path: `/imports/${ id }` } );
}

export function commandRun(
	id: number,
	command: ImportCommand
): Promise< ImportRun > {
	return restRequest< ImportRun >( {
		path: `/imports/${ id }/${ command }`,
		method: 'POST',
	} );
}

/** Running or paused: the run the screen follows and controls. */
export function isActive( run: ImportRun ): boolean {
	return run.state === 'running' || run.state === 'paused';
}
