import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { CrmFieldsState } from './use-crm-fields';

/**
 * The primary save button every settings screen ends with; busy and disabled while saving.
 * @param root0
 * @param root0.onSave
 * @param root0.saving
 * @param root0.label
 */
export function SaveButton( {
	onSave,
	saving,
	label = __( 'Save', 'pulse-sync' ),
}: {
	onSave: () => void;
	saving: boolean;
	label?: string;
} ) {
	return (
		<Button
			variant="primary"
			onClick={ onSave }
			isBusy={ saving }
			disabled={ saving }
		>
			{ label }
		</Button>
	);
}

/**
 * Asks the bridge to reload the CRM's field list, for screens that pick CRM fields.
 * @param root0
 * @param root0.crmFields
 */
export function RefreshCrmFieldsButton( {
	crmFields,
}: {
	crmFields: CrmFieldsState;
} ) {
	return (
		<Button
			variant="secondary"
			onClick={ crmFields.refresh }
			isBusy={ crmFields.refreshing }
			disabled={ crmFields.refreshing }
		>
			{ __( 'Refresh CRM fields', 'pulse-sync' ) }
		</Button>
	);
}
