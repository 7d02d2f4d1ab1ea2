import type { CrmClient } from '../crm';
import { HttpError } from '../errors';
import type { ImportFeeder } from '../imports/feeder';
import type { RunRow, RunState, RunStore } from '../imports/run-store';
import { countTagged } from '../imports/sources';
import { CrmNotConfiguredError } from '../jobs/failure';
import { crmHttpError } from './crm';
import {
	ImportPreviewQuery,
	ImportRequest,
	type ImportRun,
} from '@pulse-sync/contracts';
import { parseBody, parseQuery } from './input';
import type { Reply, Route } from './route';

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
	const present = ( run: RunRow ): Reply[ 'body' ] => presentRun( run, runs );
	return [
		{
			method: 'GET',
			path: '/v1/imports',
			signed: true,
			handle: async () => ( {
				status: 200,
				body: { runs: runs.list( RECENT_RUNS ).map( present ) },
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
				const active = runs.active( PANEL_KINDS );
				if ( active !== null ) {
					throw new HttpError(
						409,
						'import_active',
						`Run ${ active.id } (${ active.kind }) is still ${ active.state }; cancel it or let it finish first.`
					);
				}
				const run =
					input.kind === 'import'
						? await startImport( input, deps, withCrm )
						: runs.create(
								{
									kind: input.kind,
									tagId: null,
									role: null,
									sendNotification: false,
									mappedFields: input.mapped_fields,
								},
								null
							);
				feeder.wake();
				return { status: 201, body: present( run ) };
			},
		},
		{
			method: 'GET',
			path: '/v1/imports/:id',
			signed: true,
			handle: async ( { params } ) => ( {
				status: 200,
				body: present( findRun( runs, params.id as string ) ),
			} ),
		},
		...Object.entries( COMMANDS ).map(
			( [ command, { from, to } ] ): Route => ( {
				method: 'POST',
				path: `/v1/imports/:id/${ command }`,
				signed: true,
				handle: async ( { params } ) => {
					const run = findRun( runs, params.id as string );
					if ( ! runs.transition( run.id, from, to ) ) {
						throw new HttpError(
							409,
							'import_state',
							`Run ${ run.id } is ${ run.state }: it cannot ${ command }.`
						);
					}
					feeder.wake();
					return {
						status: 200,
						body: present( runs.get( run.id ) as RunRow ),
					};
				},
			} )
		),
	];
}

/**
 * The import routes of a bridge on PostgreSQL: runs are kept in the embedded SQLite file (their
 * counters join its delivery log), which several bridges cannot share, so each answers 501.
 */
export function importsUnavailableRoutes(): Route[] {
	const unavailable = async (): Promise< Reply > => {
		throw new HttpError(
			501,
			'imports_need_sqlite',
			'Import, resync and reconciliation runs are kept in the bridge’s SQLite file; a bridge on PostgreSQL (--database) cannot run them yet.'
		);
	};
	const routes: Pick< Route, 'method' | 'path' >[] = [
		{ method: 'GET', path: '/v1/imports' },
		{ method: 'POST', path: '/v1/imports' },
		{ method: 'GET', path: '/v1/imports/preview' },
		{ method: 'GET', path: '/v1/imports/:id' },
		...Object.keys( COMMANDS ).map( ( command ) => ( {
			method: 'POST' as const,
			path: `/v1/imports/:id/${ command }`,
		} ) ),
	];
	return routes.map( ( route ) => ( {
		...route,
		signed: true,
		handle: unavailable,
	} ) );
}

async function startImport(
	input: Extract< ImportRequest, { kind: 'import' } >,
	{ runs }: ImportRouteDeps,
	withCrm: < T >( work: ( crm: CrmClient ) => Promise< T > ) => Promise< T >
): Promise< RunRow > {
	const { tag_id: tagId, role } = input;
	// A run needs a CRM to page (409 crm_not_configured before the credentials are entered).
	const crm = await withCrm( async ( client ) => client );
	const run = runs.create(
		{
			kind: 'import',
			tagId,
			role,
			sendNotification: input.send_notification,
			mappedFields: false,
		},
		null
	);
	// The total the progress bar is drawn against (the run counts what it really finds), counted
	// after the answer: behind a busy or slow CRM two calls can outlast the plugin's relay timeout
	// (5 s), and the run must not wait for them to exist.
	countTagged( crm, tagId ).then(
		( total ) => runs.setTotal( run.id, total ),
		( error: unknown ) =>
			runs.noteError(
				run.id,
				`Could not count the tagged contacts: ${ error instanceof Error ? error.message : String( error ) }`
			)
	);
	return run;
}

function findRun( runs: RunStore, rawId: string ): RunRow {
	const run = /^\d{1,15}$/.test( rawId ) ? runs.get( Number( rawId ) ) : null;
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
export function presentRun( run: RunRow, runs: RunStore ): ImportRun {
	const { outstanding, ...counts } = runs.counts( run.id );
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
