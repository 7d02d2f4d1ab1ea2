/**
 * The owner's field mapping (WordPress settings, `field_mapping`) applied to a CRM contact:
 * each row `{wp, crm}` copies the contact's `crm` field into a core user field or, for any
 * other `wp` name, into a user meta key.
 */
import type { FieldMappingRow as MappingRow } from '@pulse-sync/contracts';

/** The `user` fields of `POST /bridge/users`; `role` is separate in that body. */
export const CORE_USER_FIELDS = [
	'user_login',
	'user_pass',
	'user_email',
	'first_name',
	'last_name',
	'display_name',
	'nickname',
	'user_url',
	'description',
] as const;

export interface MappedContact {
	email: string | null;
	user: Record< string, string >;
	meta: Record< string, string >;
	/** From a row mapped to `role`; the URL's `role` parameter wins over it (see jobs). */
	role: string | null;
}

const CORE_FIELD_SET: ReadonlySet< string > = new Set( CORE_USER_FIELDS );

/**
 * Pure. Empty or missing CRM values are left out, so a blank CRM field never blanks a WordPress
 * field. The email falls back to the contact's own `email` when no row maps `user_email`.
 * @param contact The CRM contact, flat, keyed by field key.
 * @param rows    The owner's mapping rows.
 */
export function applyMapping(
	contact: Record< string, unknown >,
	rows: readonly MappingRow[]
): MappedContact {
	const mapped: MappedContact = {
		email: null,
		user: {},
		meta: {},
		role: null,
	};
	for ( const { wp, crm } of rows ) {
		const value = fieldText( contact[ crm ] );
		if ( value === null ) {
			continue;
		}
		if ( wp === 'role' ) {
			mapped.role = value;
		} else if ( CORE_FIELD_SET.has( wp ) ) {
			mapped.user[ wp ] = value;
		} else {
			mapped.meta[ wp ] = value;
		}
	}
	mapped.email = mapped.user.user_email ?? fieldText( contact.email );
	return mapped;
}

function fieldText( value: unknown ): string | null {
	if ( typeof value === 'number' || typeof value === 'boolean' ) {
		return String( value );
	}
	if ( Array.isArray( value ) ) {
		const parts = value
			.map( fieldText )
			.filter( ( part ): part is string => part !== null );
		return parts.length > 0 ? parts.join( ', ' ) : null;
	}
	if ( typeof value !== 'string' ) {
		return null;
	}
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

// Deliberately loose: WordPress's is_email() in the plugin is the real judge; this only stops a
// delivery that certainly cannot create a user before it costs a WordPress call.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function looksLikeEmail( value: string | null ): value is string {
	return value !== null && value.length <= 254 && EMAIL_SHAPE.test( value );
}
