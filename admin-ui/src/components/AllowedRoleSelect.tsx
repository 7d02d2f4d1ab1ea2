import { SelectControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { RoleList } from '../api/roles';
import { controlProps } from './control-props';

/**
 * The role for new users, among the roles the site lets webhooks (and imports) give; others
 * would fall back to the default role, so they are not offered.
 * @param root0
 * @param root0.label    The control's label.
 * @param root0.roleList `GET /roles`, or null while it loads.
 * @param root0.value    The chosen slug, '' for the default role.
 * @param root0.onChange Called with the new slug.
 */
export function AllowedRoleSelect( {
	label,
	roleList,
	value,
	onChange,
}: {
	label: string;
	roleList: RoleList | null;
	value: string;
	onChange: ( slug: string ) => void;
} ) {
	return (
		<SelectControl
			{ ...controlProps }
			label={ label }
			value={ value }
			options={ [
				{
					value: '',
					label: __(
						'— Default role (see Import settings) —',
						'pulse-sync'
					),
				},
				...( roleList?.roles ?? [] )
					.filter( ( item ) => item.allowed )
					.map( ( item ) => ( {
						value: item.slug,
						label: item.name,
					} ) ),
			] }
			onChange={ onChange }
		/>
	);
}
