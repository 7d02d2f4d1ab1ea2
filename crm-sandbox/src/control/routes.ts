import { DuplicateEmailError, UnknownFieldError } from '../data/contacts';
import { readJsonBody } from '../http/body';
import { HttpError } from '../http/errors';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { OAuthError } from '../oauth/grants';
import type { SandboxState } from '../state';
import { parseWebhookRule } from '../webhooks/rules';
import { parseFaultInput } from './faults';

export const CONTROL_PREFIX = '/__sandbox';

const MAX_BULK_CONTACTS = 100000;

function integerIn(
	value: unknown,
	name: string,
	min: number,
	max: number
): number {
	if (
		typeof value !== 'number' ||
		! Number.isInteger( value ) ||
		value < min ||
		value > max
	) {
		throw new HttpError( 400, {
			error: `${ name } must be an integer between ${ min } and ${ max }.`,
		} );
	}
	return value;
}

function stringRecord(
	value: unknown,
	name: string
): Record< string, string > {
	if (
		typeof value !== 'object' ||
		value === null ||
		Array.isArray( value )
	) {
		throw new HttpError( 400, {
			error: `${ name } must be an object of strings.`,
		} );
	}
	const entries = Object.entries( value );
	if ( entries.some( ( [ , entry ] ) => typeof entry !== 'string' ) ) {
		throw new HttpError( 400, {
			error: `${ name } must be an object of strings.`,
		} );
	}
	return Object.fromEntries( entries ) as Record< string, string >;
}

/** Store errors on control calls are the caller's mistake: 400 with the reason. */
function asBadRequest( error: unknown ): never {
	if (
		error instanceof UnknownFieldError ||
		error instanceof DuplicateEmailError
	) {
		throw new HttpError( 400, { error: error.message } );
	}
	throw error;
}

/**
 * The control API for tests and the local stack: JSON, no authentication, never part of the real
 * CRM. Requests to it are neither logged nor faulted, so a test can watch the API undisturbed.
 */
export function registerControlRoutes(
	router: Router,
	state: SandboxState
): void {
	const store = state.contacts;
	const control = (
		method: string,
		path: string,
		handler: Parameters< Router[ 'add' ] >[ 2 ]
	) => router.add( method, `${ CONTROL_PREFIX }/${ path }`, handler );

	control( 'POST', 'reset', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		state.reset( body.seed !== false );
		sendJson( res, 200, { ok: true, contacts: store.count() } );
	} );

	control( 'POST', 'contacts/bulk', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		const count = integerIn( body.count, 'count', 1, MAX_BULK_CONTACTS );
		const prefix =
			typeof body.prefix === 'string' && body.prefix !== ''
				? body.prefix
				: 'bulk';
		const tagIds = Array.isArray( body.tag_ids )
			? body.tag_ids.map( ( id ) => integerIn( id, 'tag_ids[]', 1, 1e9 ) )
			: [];
		if ( tagIds.some( ( id ) => ! store.getTag( id ) ) ) {
			throw new HttpError( 400, {
				error: 'tag_ids must name existing tags.',
			} );
		}
		const ids: number[] = [];
		try {
			for ( let n = 1; n <= count; n++ ) {
				const contact = store.create( {
					first_name: prefix,
					last_name: String( n ),
					email: `${ prefix }-${ n }@example.test`,
				} );
				// Created with their tags, as an import would: no webhooks for each of them.
				tagIds.forEach( ( id ) => contact.tagIds.add( id ) );
				ids.push( contact.id );
			}
		} catch ( error ) {
			asBadRequest( error );
		}
		sendJson( res, 201, { ids } );
	} );

	control( 'GET', 'contacts/:id', ( { res, params } ) => {
		const contact = store.get( Number( params.id ) );
		if ( ! contact ) {
			throw new HttpError( 404, { error: 'Contact not found' } );
		}
		sendJson( res, 200, {
			...store.toEntity( contact ),
			tag_ids: [ ...contact.tagIds ],
		} );
	} );

	control( 'POST', 'tags', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		if ( typeof body.name !== 'string' || body.name.trim() === '' ) {
			throw new HttpError( 400, { error: 'name is required.' } );
		}
		if ( store.findTagByName( body.name ) ) {
			throw new HttpError( 400, {
				error: 'A tag with this name exists.',
			} );
		}
		sendJson( res, 201, store.createTag( body.name.trim() ) );
	} );

	control( 'POST', 'bulk-edit', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		const fields = stringRecord( body.fields ?? {}, 'fields' );
		const contacts = Array.isArray( body.contact_ids )
			? body.contact_ids.map( ( id ) =>
					store.get( integerIn( id, 'contact_ids[]', 1, 1e9 ) )
				)
			: store
					.listContacts()
					.slice(
						0,
						integerIn( body.count, 'count', 1, MAX_BULK_CONTACTS )
					);
		if ( contacts.some( ( contact ) => contact === undefined ) ) {
			throw new HttpError( 404, { error: 'Contact not found' } );
		}
		try {
			contacts.forEach( ( contact ) => store.update( contact!, fields ) );
		} catch ( error ) {
			asBadRequest( error );
		}
		sendJson( res, 200, {
			edited: contacts.length,
			webhooks_pending: state.dispatcher.pendingCount(),
		} );
	} );

	/* Faults and latency ------------------------------------------------------------------------ */

	control( 'GET', 'faults', ( { res } ) =>
		sendJson( res, 200, {
			faults: state.faults.list(),
			latency_ms: state.faults.latencyMs,
		} )
	);

	control( 'POST', 'faults', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		const inputs = Array.isArray( body.rules ) ? body.rules : [ body ];
		const parsed = inputs.map( ( input ) => {
			if ( typeof input !== 'object' || input === null ) {
				throw new HttpError( 400, {
					error: 'Each fault must be an object.',
				} );
			}
			return parseFaultInput( input as Record< string, unknown > );
		} );
		sendJson( res, 201, {
			faults: parsed.map( ( input ) => state.faults.add( input ) ),
		} );
	} );

	control( 'DELETE', 'faults', ( { res } ) => {
		state.faults.clear();
		sendJson( res, 200, { ok: true } );
	} );

	control( 'POST', 'latency', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		state.faults.latencyMs = integerIn(
			body.latency_ms,
			'latency_ms',
			0,
			600000
		);
		sendJson( res, 200, { latency_ms: state.faults.latencyMs } );
	} );

	/* OAuth helpers -------------------------------------------------------------------------------- */

	control( 'POST', 'oauth/code', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		try {
			sendJson( res, 201, {
				code: state.grants.issueCode(
					String( body.client_id ?? '' ),
					String( body.redirect_uri ?? '' )
				),
			} );
		} catch ( error ) {
			if ( error instanceof OAuthError ) {
				throw new HttpError( 400, {
					error: error.error,
					error_description: error.description,
				} );
			}
			throw error;
		}
	} );

	control( 'POST', 'tokens/expire', ( { res } ) =>
		sendJson( res, 200, { expired: state.grants.expireAccessTokens() } )
	);

	control( 'POST', 'tokens/revoke', ( { res } ) => {
		state.grants.revokeAll();
		sendJson( res, 200, { ok: true } );
	} );

	control( 'POST', 'tokens/ttl', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		state.grants.tokenTtlSeconds = integerIn(
			body.seconds,
			'seconds',
			1,
			86400 * 365
		);
		sendJson( res, 200, { seconds: state.grants.tokenTtlSeconds } );
	} );

	/* Request log and counters --------------------------------------------------------------------- */

	control( 'GET', 'requests', ( { res, url } ) => {
		const since = Number( url.searchParams.get( 'since' ) ?? 0 );
		if ( ! Number.isInteger( since ) || since < 0 ) {
			throw new HttpError( 400, {
				error: 'since must be a request sequence number.',
			} );
		}
		sendJson( res, 200, { requests: state.requests.since( since ) } );
	} );

	control( 'DELETE', 'requests', ( { res } ) => {
		state.requests.clear();
		sendJson( res, 200, { ok: true } );
	} );

	control( 'GET', 'counters', ( { res } ) =>
		sendJson( res, 200, { counters: state.requests.countersSnapshot() } )
	);

	/* Webhooks -------------------------------------------------------------------------------------- */

	const tagExists = ( id: number ) => store.getTag( id ) !== undefined;

	control( 'GET', 'webhooks', ( { res } ) =>
		sendJson( res, 200, { rules: state.webhooks.list() } )
	);

	control( 'POST', 'webhooks', async ( { req, res } ) => {
		sendJson(
			res,
			201,
			state.webhooks.add(
				parseWebhookRule( await readJsonBody( req ), tagExists )
			)
		);
	} );

	// The fixed paths go first: `webhooks/:id` would swallow `webhooks/report`.
	control( 'GET', 'webhooks/report', ( { res, url } ) => {
		const since = Number( url.searchParams.get( 'since' ) ?? 0 );
		sendJson( res, 200, {
			pending: state.dispatcher.pendingCount(),
			report: state.dispatcher.reportSince(
				Number.isInteger( since ) ? since : 0
			),
		} );
	} );

	control( 'DELETE', 'webhooks/report', ( { res } ) => {
		state.dispatcher.clearReport();
		sendJson( res, 200, { ok: true } );
	} );

	/** Answers once every queued webhook has been sent, so a test need not poll the report. */
	control( 'POST', 'webhooks/flush', async ( { res } ) => {
		await state.dispatcher.idle();
		sendJson( res, 200, { pending: state.dispatcher.pendingCount() } );
	} );

	control( 'POST', 'webhooks/concurrency', async ( { req, res } ) => {
		const body = await readJsonBody( req );
		state.dispatcher.options.concurrency = integerIn(
			body.concurrency,
			'concurrency',
			1,
			1024
		);
		sendJson( res, 200, {
			concurrency: state.dispatcher.options.concurrency,
		} );
	} );

	control( 'PUT', 'webhooks/:id', async ( { req, res, params } ) => {
		const rule = state.webhooks.replace(
			Number( params.id ),
			parseWebhookRule( await readJsonBody( req ), tagExists )
		);
		if ( ! rule ) {
			throw new HttpError( 404, { error: 'Webhook rule not found.' } );
		}
		sendJson( res, 200, rule );
	} );

	control( 'DELETE', 'webhooks/:id', ( { res, params } ) => {
		if ( ! state.webhooks.remove( Number( params.id ) ) ) {
			throw new HttpError( 404, { error: 'Webhook rule not found.' } );
		}
		sendJson( res, 200, { ok: true } );
	} );
}
