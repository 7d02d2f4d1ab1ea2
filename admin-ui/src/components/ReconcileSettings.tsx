import {
	Card,
	CardBody,
	CardHeader,
	CheckboxControl,
	ToggleControl,
} from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { CrmTag } from '../api/crm';
import type { Settings } from '../api/settings';
import { SaveButton } from './ActionButtons';
import { NoticeList } from './notices';
import { useDraft } from './use-draft';
import { useSettings } from './use-settings';

interface ReconcileForm {
	enabled: boolean;
	tagIds: number[];
}

function toForm( settings: Settings ): ReconcileForm {
	return {
		enabled: settings.reconcile_enabled,
		tagIds: settings.reconcile_tag_ids,
	};
}

/**
 * The daily reconciliation (off by default): the bridge imports, once a day, the contacts of
 * these tags that have no user yet; its deliveries show as "reconcile" in the delivery log.
 * @param root0
 * @param root0.tags The CRM's tags.
 */
export function ReconcileSettings( { tags }: { tags: CrmTag[] } ) {
	const { settings, saving, save, notices } = useSettings();
	const [ form, setForm ] = useDraft( settings, toForm );
	if ( ! form ) {
		return null;
	}
	const toggleTag = ( id: number, on: boolean ) =>
		setForm( ( current ) => ( {
			...current,
			tagIds: on
				? [ ...current.tagIds, id ]
				: current.tagIds.filter( ( tagId ) => tagId !== id ),
		} ) );
	return (
		<Card>
			<CardHeader>
				<h2>{ __( 'Daily reconciliation', 'pulse-sync' ) }</h2>
			</CardHeader>
			<CardBody>
				<NoticeList
					notices={ notices.notices }
					onDismiss={ notices.dismiss }
				/>
				<ToggleControl
					__nextHasNoMarginBottom
					label={ __(
						'Once a day, import the contacts of these tags that have no user yet',
						'pulse-sync'
					) }
					checked={ form.enabled }
					onChange={ ( enabled: boolean ) =>
						setForm( ( current ) => ( { ...current, enabled } ) )
					}
				/>
				<fieldset>
					<legend>{ __( 'Tags to reconcile', 'pulse-sync' ) }</legend>
					{ tags.map( ( tag ) => (
						<CheckboxControl
							__nextHasNoMarginBottom
							key={ tag.id }
							label={ tag.name }
							checked={ form.tagIds.includes( tag.id ) }
							onChange={ ( on: boolean ) =>
								toggleTag( tag.id, on )
							}
						/>
					) ) }
				</fieldset>
				<SaveButton
					saving={ saving }
					onSave={ () =>
						save( {
							reconcile_enabled: form.enabled,
							reconcile_tag_ids: form.tagIds,
						} )
					}
				/>
			</CardBody>
		</Card>
	);
}
