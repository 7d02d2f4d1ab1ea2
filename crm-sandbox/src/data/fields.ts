/**
 * The contact fields the sandbox account has. Like the real CRM, custom fields may come without a
 * label and keys may contain dots (`address_1.country`).
 */
export interface FieldDefinition {
	key: string;
	label?: string;
}

export const CONTACT_FIELDS: readonly FieldDefinition[] = [
	{ key: 'first_name', label: 'First Name' },
	{ key: 'last_name', label: 'Last Name' },
	{ key: 'email', label: 'Email' },
	{ key: 'phone', label: 'Phone' },
	{ key: 'custom_username' },
	{ key: 'custom_password' },
	{ key: 'wp_password', label: 'WordPress Password' },
	{ key: 'address_1.country', label: 'Country' },
	{ key: 'address_1.city' },
];

export const FIELD_KEYS: ReadonlySet< string > = new Set(
	CONTACT_FIELDS.map( ( field ) => field.key )
);

/** `contact/available-fields` shape: `{key: {label?}}`. */
export function availableFieldsPayload(): Record< string, { label?: string } > {
	const data: Record< string, { label?: string } > = {};
	for ( const field of CONTACT_FIELDS ) {
		data[ field.key ] =
			field.label === undefined ? {} : { label: field.label };
	}
	return data;
}
