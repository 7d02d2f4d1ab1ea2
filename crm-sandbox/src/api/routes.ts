import {
	DuplicateEmailError,
	UnknownFieldError,
	UnknownTagError,
} from '../data/contacts';
import { availableFieldsPayload } from '../data/fields';
import { readFormBody } from '../http/body';
import { HttpError, validationError } from '../http/errors';
import { sendJson } from '../http/respond';
import type { RequestContext, Router } from '../http/router';
import type { SandboxState } from '../state';
import { requireBearer } from './auth';
import { pageParam, paginate } from './paginate';
import {
	CONTACT_NOT_FOUND,
	contactFieldsFrom,
	requireContact,
	tagIdsFrom,
} from './params';

export const API_PREFIX = '/api/v1';

/** Store errors become the CRM's 422 validation answers. */
function asValidationError( error: unknown ): never {
	if (
		error instanceof UnknownFieldError ||
		error instanceof DuplicateEmailError ||
		error instanceof UnknownTagError
	) {
		throw validationError( error.message );
	}
	throw error;
}

/** The REST API under `/api/v1/`, as the contract in spec/pulse-crm-api.md describes it. */
export function registerApiRoutes( router: Router, state: SandboxState ): void {
	const store = state.contacts;
	const api = (
		method: string,
		path: string,
		handler: ( ctx: RequestContext ) => Promise< void > | void
	) =>
		router.add( method, `${ API_PREFIX }/${ path }`, async ( ctx ) => {
			requireBearer( ctx.req, state.grants );
			await handler( ctx );
		} );

	api( 'GET', 'tags', ( { res, url } ) => {
		sendJson( res, 200, paginate( store.listTags(), pageParam( url ) ) );
	} );

	api( 'GET', 'contact/available-fields', ( { res } ) => {
		sendJson( res, 200, { data: availableFieldsPayload() } );
	} );

	api( 'POST', 'contact/find', async ( { req, res } ) => {
		const body = await readFormBody( req );
		const email = body.email;
		if ( typeof email !== 'string' || email.trim() === '' ) {
			throw validationError( 'The email field is required.' );
		}
		const contact = store.findByEmail( email );
		if ( ! contact ) {
			throw new HttpError( 404, CONTACT_NOT_FOUND );
		}
		sendJson( res, 200, store.toEntity( contact ) );
	} );

	api( 'GET', 'contacts/tagged', ( { res, url } ) => {
		const tagIdParam = url.searchParams.get( 'tag_id' );
		const tagName = url.searchParams.get( 'tag_name' );
		const page = pageParam( url );
		let tagId: number | undefined;
		if ( tagIdParam !== null ) {
			if ( ! /^\d+$/.test( tagIdParam ) ) {
				throw validationError( 'The tag id must be an integer.' );
			}
			tagId = Number( tagIdParam );
		} else if ( tagName !== null ) {
			tagId = store.findTagByName( tagName )?.id;
		} else {
			throw validationError( 'Either tag_id or tag_name is required.' );
		}
		const ids = store
			.listContacts()
			.filter(
				( contact ) =>
					tagId !== undefined && contact.tagIds.has( tagId )
			)
			.map( ( contact ) => ( { id: contact.id } ) );
		sendJson( res, 200, paginate( ids, page ) );
	} );

	api( 'POST', 'contacts', async ( { req, res } ) => {
		const fields = contactFieldsFrom( await readFormBody( req ), [
			'is_marketable',
		] );
		if ( ! fields.email ) {
			throw validationError( 'The email field is required.' );
		}
		try {
			sendJson( res, 201, store.toEntity( store.create( fields ) ) );
		} catch ( error ) {
			asValidationError( error );
		}
	} );

	api( 'GET', 'contacts/:id', ( { res, params } ) => {
		sendJson(
			res,
			200,
			store.toEntity( requireContact( store, params.id ) )
		);
	} );

	api( 'PUT', 'contacts/:id', async ( { req, res, params } ) => {
		const contact = requireContact( store, params.id );
		const fields = contactFieldsFrom( await readFormBody( req ) );
		try {
			store.update( contact, fields );
		} catch ( error ) {
			asValidationError( error );
		}
		sendJson( res, 200, { success: true } );
	} );

	api( 'GET', 'contacts/:id/tags', ( { res, params, url } ) => {
		const contact = requireContact( store, params.id );
		sendJson(
			res,
			200,
			paginate( store.contactTags( contact ), pageParam( url ) )
		);
	} );

	const tagChange =
		( change: 'applyTags' | 'removeTags' ) =>
		async ( { req, res, params }: RequestContext ) => {
			const contact = requireContact( store, params.id );
			const tagIds = tagIdsFrom( await readFormBody( req ) );
			try {
				store[ change ]( contact, tagIds );
			} catch ( error ) {
				asValidationError( error );
			}
			sendJson( res, 200, { success: true } );
		};
	api( 'POST', 'contacts/:id/tag-apply', tagChange( 'applyTags' ) );
	api( 'POST', 'contacts/:id/untag', tagChange( 'removeTags' ) );
}
