import { SelectControl, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { CrmField } from '../api/crm';
import { controlProps } from './control-props';

/**
 * A CRM field chooser: a select of the CRM's fields when they could be loaded, a text input for
 * the raw field key when the CRM is not reachable (so the owner is never stuck).
 * @param root0
 * @param root0.label
 * @param root0.value
 * @param root0.fields
 * @param root0.onChange
 * @param root0.help
 * @param root0.hideLabelFromVision
 * @param root0.loading
 */
export function CrmFieldPicker( {
	label,
	value,
	fields,
	onChange,
	help,
	hideLabelFromVision = false,
	loading = false,
}: {
	label: string;
	value: string;
	fields: CrmField[] | null;
	onChange: ( value: string ) => void;
	help?: string;
	hideLabelFromVision?: boolean;
	/** While the CRM's list loads, the saved key shows in a disabled select. */
	loading?: boolean;
} ) {
	if ( loading ) {
		return (
			<SelectControl
				{ ...controlProps }
				label={ label }
				hideLabelFromVision={ hideLabelFromVision }
				help={ __( 'Loading the CRM fields…', 'pulse-sync' ) }
				value={ value }
				options={ [ { value, label: value || '—' } ] }
				onChange={ onChange }
				disabled
			/>
		);
	}
	if ( fields === null ) {
		return (
			<TextControl
				{ ...controlProps }
				label={ label }
				hideLabelFromVision={ hideLabelFromVision }
				help={
					help ??
					__(
						'The CRM field list is not available; enter the field key.',
						'pulse-sync'
					)
				}
				value={ value }
				onChange={ onChange }
			/>
		);
	}
	const known = fields.some( ( field ) => field.key === value );
	const options = [
		{ value: '', label: __( '— Choose a CRM field —', 'pulse-sync' ) },
		// Keep a saved key visible even when the CRM no longer lists it.
		...( value !== '' && ! known
			? [
					{
						value,
						label: sprintf(
							/* translators: %s: CRM field key. */
							__( '%s (not in the CRM)', 'pulse-sync' ),
							value
						),
					},
				]
			: [] ),
		...fields.map( ( field ) => ( {
			value: field.key,
			label: `${ field.label } (${ field.key })`,
		} ) ),
	];
	return (
		<SelectControl
			{ ...controlProps }
			label={ label }
			hideLabelFromVision={ hideLabelFromVision }
			help={ help }
			value={ value }
			options={ options }
			onChange={ onChange }
		/>
	);
}
