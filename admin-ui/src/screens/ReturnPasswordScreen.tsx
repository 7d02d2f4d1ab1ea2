import { Card, CardBody, CheckboxControl, Flex } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { CrmFieldPicker } from '../components/CrmFieldPicker';
import {
	RefreshCrmFieldsButton,
	SaveButton,
} from '../components/ActionButtons';
import { ScreenFrame } from '../components/ScreenFrame';
import { useCrmFields } from '../components/use-crm-fields';
import { useDraft } from '../components/use-draft';
import { useSettings } from '../components/use-settings';

export function ReturnPasswordScreen() {
	const { settings, loading, loadError, saving, save, notices } =
		useSettings();
	const crmFields = useCrmFields();
	const [ draft, setDraft ] = useDraft( settings, ( saved ) => ( {
		enabled: saved.return_password_enabled,
		field: saved.return_password_field,
	} ) );

	const onSave = () => {
		if ( ! draft ) {
			return;
		}
		const { enabled, field } = draft;
		if ( enabled && field.trim() === '' ) {
			notices.notify(
				'error',
				__(
					'Choose the CRM field that receives the password.',
					'pulse-sync'
				)
			);
			return;
		}
		save( {
			return_password_enabled: enabled,
			return_password_field: field.trim(),
		} );
	};

	return (
		<ScreenFrame
			loading={ loading }
			loadError={ loadError }
			notices={ notices }
		>
			{ () =>
				draft && (
					<Card>
						<CardBody>
							<p>
								{ __(
									'When the plugin creates a user with a generated password, Return Password writes that password into a field of the CRM contact before the webhook counts as done. The CRM’s next workflow step, e.g. “Send email” with that field as a merge field, can then send it to the new user.',
									'pulse-sync'
								) }
							</p>
							<p>
								{ __(
									'Passwords that came from the CRM are not sent back, and the password never appears in a log. Use a dedicated custom field that no one else reads.',
									'pulse-sync'
								) }
							</p>
							<CheckboxControl
								__nextHasNoMarginBottom
								label={ __(
									'Enable Return Password',
									'pulse-sync'
								) }
								help={ __(
									'Write generated passwords to the CRM contact.',
									'pulse-sync'
								) }
								checked={ draft.enabled }
								onChange={ ( enabled: boolean ) =>
									setDraft( ( current ) => ( {
										...current,
										enabled,
									} ) )
								}
							/>
							<CrmFieldPicker
								label={ __(
									'CRM field for the password',
									'pulse-sync'
								) }
								value={ draft.field }
								fields={ crmFields.fields }
								loading={ crmFields.loading }
								onChange={ ( field ) =>
									setDraft( ( current ) => ( {
										...current,
										field,
									} ) )
								}
							/>
							{ crmFields.error !== null && (
								<p role="alert">{ crmFields.error }</p>
							) }
							<Flex justify="flex-start">
								<RefreshCrmFieldsButton
									crmFields={ crmFields }
								/>
								<SaveButton
									onSave={ onSave }
									saving={ saving }
								/>
							</Flex>
						</CardBody>
					</Card>
				)
			}
		</ScreenFrame>
	);
}
