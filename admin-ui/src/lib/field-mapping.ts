import { __, sprintf } from '@wordpress/i18n';

import type { FieldMappingRow } from '../api/settings';

/** The WordPress user fields the plugin writes itself; any other name is a user meta key. */
export const CORE_USER_FIELDS: ReadonlyArray< { key: string; label: string } > =
	[
		{ key: 'user_email', label: __( 'Email', 'pulse-sync' ) },
		{ key: 'user_login', label: __( 'Username', 'pulse-sync' ) },
		{ key: 'user_pass', label: __( 'Password', 'pulse-sync' ) },
		{ key: 'first_name', label: __( 'First name', 'pulse-sync' ) },
		{ key: 'last_name', label: __( 'Last name', 'pulse-sync' ) },
		{ key: 'nickname', label: __( 'Nickname', 'pulse-sync' ) },
		{ key: 'display_name', label: __( 'Display name', 'pulse-sync' ) },
		{ key: 'user_url', label: __( 'Website', 'pulse-sync' ) },
		{ key: 'description', label: __( 'Biographical info', 'pulse-sync' ) },
		{ key: 'role', label: __( 'Role', 'pulse-sync' ) },
	];

export function isCoreUserField( wpField: string ): boolean {
	return CORE_USER_FIELDS.some( ( field ) => field.key === wpField );
}

/** Users are found and created by email, so a mapping without it cannot create anyone. */
const REQUIRED_WP_FIELD = 'user_email';

export interface MappingProblem {
	/** Index of the row the problem is about, or null for the mapping as a whole. */
	row: number | null;
	message: string;
}

export function validateFieldMapping(
	rows: FieldMappingRow[]
): MappingProblem[] {
	const problems: MappingProblem[] = [];
	const seen = new Map< string, number >();
	rows.forEach( ( row, index ) => {
		const wp = row.wp.trim();
		if ( wp === '' ) {
			problems.push( {
				row: index,
				message: __(
					'Choose a WordPress field or enter a meta key.',
					'pulse-sync'
				),
			} );
		} else if ( seen.has( wp ) ) {
			problems.push( {
				row: index,
				message: sprintf(
					/* translators: %s: WordPress user field or meta key. */
					__(
						'"%s" is already mapped in another row.',
						'pulse-sync'
					),
					wp
				),
			} );
		} else {
			seen.set( wp, index );
		}
		if ( row.crm.trim() === '' ) {
			problems.push( {
				row: index,
				message: __( 'Choose the CRM field.', 'pulse-sync' ),
			} );
		}
	} );
	if ( ! seen.has( REQUIRED_WP_FIELD ) ) {
		problems.push( {
			row: null,
			message: __(
				'Map a CRM field to Email: users are found and created by their email address.',
				'pulse-sync'
			),
		} );
	}
	return problems;
}
