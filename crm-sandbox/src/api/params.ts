import type { Contact, ContactStore } from '../data/contacts';
import { HttpError, validationError } from '../http/errors';
import type { FormBody } from '../http/form';

export const CONTACT_NOT_FOUND = { error: 'Contact not found' } as const;

/** `contacts/{id}` with an id that is not a known contact: the CRM's 404. */
export function requireContact(
	store: ContactStore,
	rawId: string | undefined
): Contact {
	const contact =
		rawId !== undefined && /^\d+$/.test( rawId )
			? store.get( Number( rawId ) )
			: undefined;
	if ( ! contact ) {
		throw new HttpError( 404, CONTACT_NOT_FOUND );
	}
	return contact;
}

/** `tag_id[]` / `tag_id[n]`: the CRM wants an array of integer ids. */
export function tagIdsFrom( body: FormBody ): number[] {
	const value = body.tag_id;
	if ( value === undefined ) {
		throw validationError( 'The tag id field is required.' );
	}
	if ( ! Array.isArray( value ) ) {
		throw validationError( 'The tag id must be an array.' );
	}
	if (
		value.length === 0 ||
		value.some( ( entry ) => ! /^\d+$/.test( entry ) )
	) {
		throw validationError( 'Each tag id must be an integer.' );
	}
	return value.map( Number );
}

/** Contact fields from a form: every value must be a plain string (no arrays). */
export function contactFieldsFrom(
	body: FormBody,
	ignore: readonly string[] = []
): Record< string, string > {
	const fields: Record< string, string > = {};
	for ( const [ key, value ] of Object.entries( body ) ) {
		if ( ignore.includes( key ) ) {
			continue;
		}
		if ( Array.isArray( value ) ) {
			throw validationError( `The ${ key } field must be a string.` );
		}
		fields[ key ] = value;
	}
	return fields;
}
