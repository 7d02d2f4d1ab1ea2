import type { CrmClient } from '../crm';
import { HttpError } from '../errors';
import type { ImportFeeder } from '../imports/feeder';
import type {
	RunRow,
	RunStart,
	RunState,
	RunStore,
} from '../imports/run-store';
import { countTagged } from '../imports/sources';
import { CrmNotConfiguredError } from '../jobs/failure';
import { crmHttpError } from './crm';
import {
	ImportPreviewQuery,
	ImportRequest,
	type ImportRun,
} from '@pulse-sync/contracts';
import { parseBody, parseQuery } from './input';
import type { Route } from './route';

/**
 * The import routes the panel uses through the plugin (docs/architecture.md, "Import, resync
 * and reconciliation"): count a tag's contacts, start a run, read it, pause, resume, cancel.
 */

export interface ImportRouteDeps {
	runs: RunStore;
	feeder: Pick< ImportFeeder, 'wake' >;
	/** The CRM client for the current settings; throws when it cannot be had. */
	crm: () => Promise< CrmClient >;
}

const RECENT_RUNS = 10;
// One import or resync at a time: two runs would only compete for the same queue and CRM pace.
const PANEL_KINDS = [ 'import', 'resync' ] as const;

const COMMANDS: Record< string, { from: readonly RunState[]; to: RunState } > =
	{
		pause: { from: [ 'running' ], to: 'paused' },
		resume: { from: [ 'paused' ], to: 'running' },
		cancel: { from: [ 'running', 'paused' ], to: 'cancelled' },
	};

export function importRoutes( deps: ImportRouteDeps ): Route[] {
	const { runs, feeder } = deps;
	const withCrm = async < T >(
		work: ( crm: CrmClient ) => Promise< T >
	): Promise< T > => {
		try {
			return await work( await deps.crm() );
		} catch ( error ) {
			if ( error instanceof CrmNotConfiguredError ) {
				throw new HttpError( 409, 'crm_not_configured', error.message );
			}
			throw crmHttpError( error, false );
		}
	};
	const present = ( run: RunRow ): Promise< ImportRun > =>
		presentRun( run, runs );
	return [
		{
			method: 'GET',
			path: '/v1/imports',
			signed: true,
			handle: async () => ( {
				status: 200,
				body: {
					runs: await Promise.all(
						( await runs.list( RECENT_RUNS ) ).map( present )
					),
				},
			} ),
		},
		{
			method: 'GET',
			path: '/v1/imports/preview',
			signed: true,
			handle: async ( { query } ) => {
				const { tag_id: tagId } = parseQuery(
					ImportPreviewQuery,
					query
				);
				return {
					status: 200,
					body: {
						tag_id: tagId,
						contacts: await withCrm( ( crm ) =>
							countTagged( crm, tagId )
						),
					},
				};
			},
		},
		{
			method: 'POST',
			path: '/v1/imports',
			signed: true,
			handle: async ( { body } ) => {
				const input = parseBody( ImportRequest, body );
				const start =
					input.kind === 'import'
						? await startImport( input, deps, withCrm )
						: await runs.start(
								{
									kind: input.kind,
									tagId: null,
									role: null,
									sendNotification: false,
									mappedFields: input.mapped_fields,
								},
								null,
								PANEL_KINDS
							);
				if ( ! start.started ) {
					const { active } = start;
					throw new HttpError(
						409,
						'import_active',
						`Run ${ active.id } (${ active.kind }) is still ${ active.state }; cancel it or let it finish first.`
					);
				}
				feeder.wake();
				return { status: 201, body: await present( start.run ) };
			},
		},
		{
			method: 'GET',
			path: '/v1/imports/:id',
			signed: true,
			handle: async ( { params } ) => ( {
				status: 200,
				body: await present(
					await findRun( runs, params.id as string )
				),
			} ),
		},
		...Object.entries( COMMANDS ).map(
			( [ command, { from, to } ] ): Route => ( {
				method: 'POST',
				path: `/v1/imports/:id/${ command }`,
				signed: true,
				handle: async ( { params } ) => {
					const run = await findRun( runs, params.id as string );
					if ( ! ( await runs.command( run.id, from, to ) ) ) {
						throw new HttpError(
							409,
							'import_state',
							`Run ${ run.id } is ${ run.state }: it cannot ${ command }.`
						);
					}
					feeder.wake();
					return {
						status: 200,
						body: await present(
							( await runs.get( run.id ) ) as RunRow
						),
					};
				},
			} )
		),
	];
}

async function startImport(
	input: Extract< ImportRequest, { kind: 'import' } >,
	{ runs }: ImportRouteDeps,
	withCrm: < T >( work: ( crm: CrmClient ) => Promise< T > ) => Promise< T >
): Promise< RunStart > {
	const { tag_id: tagId, role } = input;
	// A run needs a CRM to page (409 crm_not_configured before the credentials are entered).
	const crm = await withCrm( async ( client ) => client );
	const start = await runs.start(
		{
			kind: 'import',
			tagId,
			role,
			sendNotification: input.send_notification,
			mappedFields: false,
		},
		null,
		PANEL_KINDS
	);
	if ( ! start.started ) {
		return start;
	}
	const { id } = start.run;
	// The total the progress bar is drawn against (the run counts what it really finds), counted
	// after the answer: behind a busy or slow CRM two calls can outlast the plugin's relay timeout
	// (5 s), and the run must not wait for them to exist.
	countTagged( crm, tagId )
		.then(
			( total ) => runs.setTotal( id, total ),
			( error: unknown ) =>
				runs.noteError(
					id,
					`Could not count the tagged contacts: ${ error instanceof Error ? error.message : String( error ) }`
				)
		)
		.catch( () => {
			// The store is closing (the bridge stops): the count is taken again by no one, and
			// the run's progress bar waits for its pages instead.
		} );
	return start;
}

async function findRun( runs: RunStore, rawId: string ): Promise< RunRow > {
	const run = /^\d{1,15}$/.test( rawId )
		? await runs.get( Number( rawId ) )
		: null;
	if ( run === null ) {
		throw new HttpError(
			404,
			'import_not_found',
			`No import run with id ${ rawId }.`
		);
	}
	return run;
}

/**
 * A run as the panel reads it; `counts` come from its deliveries' outcomes (run-store.ts).
 * @param run  The stored run.
 * @param runs The store, for the counts.
 */
export async function presentRun(
	run: RunRow,
	runs: RunStore
): Promise< ImportRun > {
	const { outstanding, ...counts } = await runs.counts( run.id );
	return {
		id: run.id,
		kind: run.kind,
		state: run.state,
		tag_id: run.tag_id,
		role: run.role,
		send_notification: run.send_notification === 1,
		mapped_fields: run.mapped_fields === 1,
		total: run.total,
		counts: { ...counts, queued: outstanding },
		all_found: run.fed_all === 1,
		error: run.error,
		created_at: new Date( run.created_at ).toISOString(),
		finished_at:
			run.finished_at === null
				? null
				: new Date( run.finished_at ).toISOString(),
	};
}
