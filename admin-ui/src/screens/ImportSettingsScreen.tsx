import {
	Card,
	CardBody,
	CardHeader,
	CheckboxControl,
	SelectControl,
	TextControl,
	ToggleControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { fetchRoles, type RoleList } from '../api/roles';
import type { Settings, UsernameFormat } from '../api/settings';
import { controlProps } from '../components/control-props';
import { SaveButton } from '../components/ActionButtons';
import { ScreenFrame } from '../components/ScreenFrame';
import { useAsync } from '../components/use-async';
import { useDraft } from '../components/use-draft';
import { useSettings } from '../components/use-settings';
import { validateImportLimits } from '../lib/import-limits';

interface ImportForm {
	defaultRole: string;
	allowedRoles: string[];
	changeRolesOfOtherUsers: boolean;
	linkUsersByEmail: boolean;
	usernameFormat: UsernameFormat;
	alwaysSendWelcome: boolean;
	/** Kept as typed so that validation can explain a bad value instead of silently fixing it. */
	waitBudget: string;
	waitingWorkers: string;
}

const USERNAME_FORMATS: Array< { value: UsernameFormat; label: string } > = [
	{ value: 'email', label: __( 'Email address', 'pulse-sync' ) },
	{ value: 'firstlast', label: __( 'FirstnameLastname', 'pulse-sync' ) },
	{
		value: 'first_digits',
		label: __( 'First name and digits', 'pulse-sync' ),
	},
];

/**
 * The empty choice names the role it stands for, e.g. "— Site default role (Subscriber) —".
 * @param roleList
 */
function siteDefaultLabel( roleList: RoleList | null ): string {
	const role = roleList?.roles.find(
		( item ) => item.slug === roleList.site_default_role
	);
	return role
		? sprintf(
				/* translators: %s: role name. */
				__( '— Site default role (%s) —', 'pulse-sync' ),
				role.name
			)
		: __( '— Site default role —', 'pulse-sync' );
}

function toImportForm( settings: Settings ): ImportForm {
	return {
		defaultRole: settings.default_role,
		allowedRoles: settings.allowed_roles,
		changeRolesOfOtherUsers: settings.change_roles_of_other_users,
		linkUsersByEmail: settings.link_users_by_email,
		usernameFormat: settings.username_format,
		alwaysSendWelcome: settings.always_send_welcome,
		waitBudget: String( settings.wait_budget_ms ),
		waitingWorkers: String( settings.max_waiting_workers ),
	};
}

export function ImportSettingsScreen() {
	const { settings, loading, loadError, saving, save, notices } =
		useSettings();
	const roles = useAsync( fetchRoles );
	const [ form, setForm ] = useDraft( settings, toImportForm );
	const [ showProblems, setShowProblems ] = useState( false );

	const update = ( changes: Partial< ImportForm > ) =>
		setForm( ( current ) => ( { ...current, ...changes } ) );

	const toggleAllowed = ( slug: string, allowed: boolean ) =>
		setForm( ( current ) => ( {
			...current,
			allowedRoles: allowed
				? [ ...current.allowedRoles, slug ]
				: current.allowedRoles.filter( ( role ) => role !== slug ),
		} ) );

	const problems = form
		? validateImportLimits( form.waitBudget, form.waitingWorkers )
		: {};

	const onSave = () => {
		if ( ! form ) {
			return;
		}
		if ( problems.waitBudget || problems.waitingWorkers ) {
			setShowProblems( true );
			notices.notify(
				'error',
				__(
					'Fix the highlighted fields, then save again.',
					'pulse-sync'
				)
			);
			return;
		}
		save( {
			default_role: form.defaultRole,
			allowed_roles: form.allowedRoles,
			change_roles_of_other_users: form.changeRolesOfOtherUsers,
			link_users_by_email: form.linkUsersByEmail,
			username_format: form.usernameFormat,
			always_send_welcome: form.alwaysSendWelcome,
			wait_budget_ms: Number( form.waitBudget ),
			max_waiting_workers: Number( form.waitingWorkers ),
		} );
	};

	const roleList = roles.data?.roles ?? [];

	return (
		<ScreenFrame
			loading={ loading }
			loadError={ loadError }
			notices={ notices }
		>
			{ () =>
				form && (
					<>
						<Card>
							<CardHeader>
								<h2>{ __( 'New users', 'pulse-sync' ) }</h2>
							</CardHeader>
							<CardBody>
								{ roles.error !== null && (
									<p role="alert">{ roles.error.message }</p>
								) }
								<SelectControl
									{ ...controlProps }
									label={ __( 'Default role', 'pulse-sync' ) }
									help={ __(
										'Given when the webhook URL names no role, or a role that is not allowed.',
										'pulse-sync'
									) }
									value={ form.defaultRole }
									options={ [
										{
											value: '',
											label: siteDefaultLabel(
												roles.data
											),
										},
										...roleList.map( ( role ) => ( {
											value: role.slug,
											label: role.name,
										} ) ),
									] }
									onChange={ ( defaultRole: string ) =>
										update( { defaultRole } )
									}
								/>
								<fieldset>
									<legend>
										{ __(
											'Roles a webhook may give',
											'pulse-sync'
										) }
									</legend>
									<p>
										{ __(
											'Tick each role the webhook URL (role=…) or a field mapped to role may give. With none ticked, webhooks give only the default role. Roles that can manage the site (administrators, editors of users, plugins or themes) are never offered and never given.',
											'pulse-sync'
										) }
									</p>
									{ roleList.map( ( role ) => (
										<CheckboxControl
											__nextHasNoMarginBottom
											key={ role.slug }
											label={ role.name }
											checked={ form.allowedRoles.includes(
												role.slug
											) }
											onChange={ ( allowed: boolean ) =>
												toggleAllowed(
													role.slug,
													allowed
												)
											}
										/>
									) ) }
								</fieldset>
								<ToggleControl
									__nextHasNoMarginBottom
									label={ __(
										'Also change the role of users Pulse Sync did not create',
										'pulse-sync'
									) }
									help={ __(
										'Otherwise a webhook changes the role only of users it created; users who hold administrative capabilities are never changed.',
										'pulse-sync'
									) }
									checked={ form.changeRolesOfOtherUsers }
									onChange={ (
										changeRolesOfOtherUsers: boolean
									) => update( { changeRolesOfOtherUsers } ) }
								/>
								<ToggleControl
									__nextHasNoMarginBottom
									label={ __(
										'Link existing users by email',
										'pulse-sync'
									) }
									help={ __(
										'A contact without a linked user takes over the existing user with its email address, unless that user is already linked to another contact. Turned off, such deliveries fail and you link them by hand from the delivery log.',
										'pulse-sync'
									) }
									checked={ form.linkUsersByEmail }
									onChange={ ( linkUsersByEmail: boolean ) =>
										update( { linkUsersByEmail } )
									}
								/>
								<SelectControl
									{ ...controlProps }
									label={ __(
										'Username format',
										'pulse-sync'
									) }
									help={ __(
										'Used when the contact has no username mapped; numbers are added to keep usernames unique.',
										'pulse-sync'
									) }
									value={ form.usernameFormat }
									options={ USERNAME_FORMATS }
									onChange={ ( value: string ) =>
										update( {
											usernameFormat:
												value as UsernameFormat,
										} )
									}
								/>
								<ToggleControl
									__nextHasNoMarginBottom
									label={ __(
										'Always send the welcome email',
										'pulse-sync'
									) }
									help={ __(
										'Otherwise new users get it only when the webhook URL has send_notification=true.',
										'pulse-sync'
									) }
									checked={ form.alwaysSendWelcome }
									onChange={ ( alwaysSendWelcome: boolean ) =>
										update( { alwaysSendWelcome } )
									}
								/>
							</CardBody>
						</Card>
						<Card>
							<CardHeader>
								<h2>
									{ __( 'Webhook answers', 'pulse-sync' ) }
								</h2>
							</CardHeader>
							<CardBody>
								<TextControl
									{ ...controlProps }
									type="number"
									min={ 0 }
									label={ __(
										'Wait budget (milliseconds)',
										'pulse-sync'
									) }
									help={
										( showProblems &&
											problems.waitBudget ) ||
										__(
											'How long a webhook waits for the user to be written before the site answers 202 and finishes in the background.',
											'pulse-sync'
										)
									}
									value={ form.waitBudget }
									onChange={ ( waitBudget: string ) =>
										update( { waitBudget } )
									}
									aria-invalid={
										showProblems &&
										problems.waitBudget !== undefined
									}
								/>
								<TextControl
									{ ...controlProps }
									type="number"
									min={ 0 }
									label={ __(
										'Waiting webhooks at most',
										'pulse-sync'
									) }
									help={
										( showProblems &&
											problems.waitingWorkers ) ||
										__(
											'Each waiting webhook holds a PHP worker; further webhooks are answered 202 at once. 0 never waits.',
											'pulse-sync'
										)
									}
									value={ form.waitingWorkers }
									onChange={ ( waitingWorkers: string ) =>
										update( { waitingWorkers } )
									}
									aria-invalid={
										showProblems &&
										problems.waitingWorkers !== undefined
									}
								/>
								<SaveButton
									onSave={ onSave }
									saving={ saving }
								/>
							</CardBody>
						</Card>
					</>
				)
			}
		</ScreenFrame>
	);
}
