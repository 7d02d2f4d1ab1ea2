import { DuplicateEmailError, UnknownFieldError } from '../data/contacts';
import { readJsonBody } from '../http/body';
import { HttpError } from '../http/errors';
import { sendJson } from '../http/respond';
import type { SandboxState } from '../state';
import type { ControlRoute } from './routes';
import { integerIn, stringRecord } from './validate';

const MAX_BULK_CONTACTS = 100000;

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

/** Reset, bulk data, raw contacts, tags and the bulk edit that sets off a webhook storm. */
export function registerDataControl(
	control: ControlRoute,
	state: SandboxState
): void {
	const store = state.contacts;
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
}
