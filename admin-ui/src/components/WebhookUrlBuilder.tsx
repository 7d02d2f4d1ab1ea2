import {
	Card,
	CardBody,
	CardHeader,
	CheckboxControl,
	Flex,
	FlexBlock,
	SelectControl,
	TextControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { AllowedRoleSelect } from './AllowedRoleSelect';
import type { DeliveryAction } from '../api/deliveries';
import type { RoleList } from '../api/roles';
import { buildWebhookUrl } from '../lib/webhook-url';
import { controlProps } from './control-props';
import { CopyButton } from './CopyButton';

const ACTION_HELP: Record< DeliveryAction, string > = {
	add: __(
		'Creates the user, or updates the one that already exists.',
		'pulse-sync'
	),
	update: __(
		'Updates an existing user’s fields and tags; creates nobody.',
		'pulse-sync'
	),
	update_tags: __(
		'Replaces an existing user’s tags only; creates nobody.',
		'pulse-sync'
	),
};

export function WebhookUrlBuilder( {
	base,
	webhookKey,
	roleList,
}: {
	base: string;
	webhookKey: string;
	roleList: RoleList;
} ) {
	const [ action, setAction ] = useState< DeliveryAction >( 'add' );
	const [ role, setRole ] = useState( '' );
	const [ sendNotification, setSendNotification ] = useState( false );
	// Role and welcome email only mean something when a user may be created.
	const creates = action === 'add';
	const url = buildWebhookUrl( {
		base,
		accessKey: webhookKey,
		action,
		role: creates ? role : '',
		sendNotification: creates && sendNotification,
	} );

	return (
		<Card>
			<CardHeader>
				<h2>{ __( 'Webhook URL builder', 'pulse-sync' ) }</h2>
			</CardHeader>
			<CardBody>
				<SelectControl
					{ ...controlProps }
					label={ __( 'Action', 'pulse-sync' ) }
					value={ action }
					options={ [
						{
							value: 'add',
							label: __(
								'add: create or update the user',
								'pulse-sync'
							),
						},
						{
							value: 'update',
							label: __(
								'update: update an existing user',
								'pulse-sync'
							),
						},
						{
							value: 'update_tags',
							label: __(
								'update_tags: update tags only',
								'pulse-sync'
							),
						},
					] }
					help={ ACTION_HELP[ action ] }
					onChange={ ( value: string ) =>
						setAction( value as DeliveryAction )
					}
				/>
				{ creates && (
					<>
						<AllowedRoleSelect
							label={ __( 'Role for new users', 'pulse-sync' ) }
							roleList={ roleList }
							value={ role }
							onChange={ setRole }
						/>
						<CheckboxControl
							__nextHasNoMarginBottom
							label={ __(
								'Send the welcome email',
								'pulse-sync'
							) }
							help={ __(
								'New users get WordPress’s email with the link to set a password.',
								'pulse-sync'
							) }
							checked={ sendNotification }
							onChange={ setSendNotification }
						/>
					</>
				) }
				<Flex align="flex-end">
					<FlexBlock>
						<TextControl
							{ ...controlProps }
							label={ __( 'Webhook URL', 'pulse-sync' ) }
							help={ __(
								'Paste it into the CRM’s workflow “HTTP Post” step or a global webhook.',
								'pulse-sync'
							) }
							value={ url }
							readOnly
							onChange={ () => undefined }
						/>
					</FlexBlock>
					<CopyButton
						text={ url }
						label={ __( 'Copy webhook URL', 'pulse-sync' ) }
					/>
				</Flex>
				<p>
					{ __(
						'The site answers 200 when the user was written within the wait budget, or 202 when the delivery is queued (many webhooks at once, or a slow CRM). With a 202 the Return Password reaches the CRM only when the queued job runs, so in the CRM workflow put a wait step (a minute is plenty) before the step that emails the password.',
						'pulse-sync'
					) }
				</p>
			</CardBody>
		</Card>
	);
}
