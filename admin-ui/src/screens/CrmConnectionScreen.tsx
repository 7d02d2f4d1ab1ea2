import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Flex,
	TextControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import {
	connectCrm,
	disconnectCrm,
	fetchCrmFields,
	fetchCrmTags,
} from '../api/crm';
import { fetchStatus } from '../api/status';
import { controlProps } from '../components/control-props';
import { CrmStatusSummary } from '../components/CrmStatusSummary';
import { LoadingState } from '../components/LoadingState';
import { ScreenFrame } from '../components/ScreenFrame';
import { useAsync } from '../components/use-async';
import { useDraft } from '../components/use-draft';
import { useSettings } from '../components/use-settings';
import { navigateTo } from '../lib/navigation';

type Busy = 'connect' | 'disconnect' | 'refresh' | null;

export function CrmConnectionScreen() {
	const { settings, loading, loadError, saving, save, notices } =
		useSettings();
	const status = useAsync( fetchStatus );
	const [ draft, setDraft ] = useDraft( settings, ( saved ) => ( {
		accountUrl: saved.crm_account_url,
		clientId: saved.crm_client_id,
	} ) );
	const [ clientSecret, setClientSecret ] = useState( '' );
	const [ busy, setBusy ] = useState< Busy >( null );
	const { notify, notifyError } = notices;

	/** The secret is write-only: sent only when typed, so an empty box keeps the stored one. */
	const saveDraft = async (): Promise< boolean > => {
		if ( ! draft ) {
			return false;
		}
		const saved = await save( {
			crm_account_url: draft.accountUrl.trim(),
			crm_client_id: draft.clientId.trim(),
			...( clientSecret === ''
				? {}
				: { crm_client_secret: clientSecret } ),
		} );
		if ( saved ) {
			setClientSecret( '' );
		}
		return saved;
	};

	const onConnect = async () => {
		setBusy( 'connect' );
		// OAuth runs with what is stored, so save the form first.
		if ( ! ( await saveDraft() ) ) {
			setBusy( null );
			return;
		}
		try {
			navigateTo( await connectCrm() );
		} catch ( reason ) {
			notifyError( reason );
			setBusy( null );
		}
	};

	const onDisconnect = async () => {
		setBusy( 'disconnect' );
		try {
			const crm = await disconnectCrm();
			if ( status.data ) {
				status.setData( { ...status.data, crm } );
			}
			notify(
				'success',
				__( 'Disconnected from the CRM.', 'pulse-sync' )
			);
		} catch ( reason ) {
			notifyError( reason );
		} finally {
			setBusy( null );
		}
	};

	const onRefreshLists = async () => {
		setBusy( 'refresh' );
		try {
			const [ fields, tags ] = await Promise.all( [
				fetchCrmFields( true ),
				fetchCrmTags( true ),
			] );
			notify(
				'success',
				sprintf(
					/* translators: 1: number of CRM fields, 2: number of CRM tags. */
					__(
						'Reloaded from the CRM (fields: %1$d, tags: %2$d).',
						'pulse-sync'
					),
					fields.length,
					tags.length
				)
			);
		} catch ( reason ) {
			notifyError( reason );
		} finally {
			setBusy( null );
		}
	};

	const connected = status.data?.crm?.connected === true;

	return (
		<ScreenFrame
			loading={ loading }
			loadError={ loadError }
			notices={ notices }
		>
			{ () =>
				draft && (
					<>
						<Card>
							<CardHeader>
								<h2>{ __( 'CRM account', 'pulse-sync' ) }</h2>
							</CardHeader>
							<CardBody>
								<TextControl
									{ ...controlProps }
									type="url"
									label={ __( 'Account URL', 'pulse-sync' ) }
									help={ __(
										'The address of your PulseTechnologyCRM account, e.g. https://yourcompany.pulsetechcrm.com',
										'pulse-sync'
									) }
									value={ draft.accountUrl }
									onChange={ ( accountUrl: string ) =>
										setDraft( ( current ) => ( {
											...current,
											accountUrl,
										} ) )
									}
								/>
								<TextControl
									{ ...controlProps }
									label={ __(
										'OAuth client ID',
										'pulse-sync'
									) }
									value={ draft.clientId }
									onChange={ ( clientId: string ) =>
										setDraft( ( current ) => ( {
											...current,
											clientId,
										} ) )
									}
									autoComplete="off"
								/>
								<TextControl
									{ ...controlProps }
									type="password"
									label={ __(
										'OAuth client secret',
										'pulse-sync'
									) }
									help={ __(
										'Stored on the site and never shown again. Leave empty to keep the stored secret.',
										'pulse-sync'
									) }
									placeholder={
										settings?.crm_client_secret_set
											? __(
													'Stored (hidden)',
													'pulse-sync'
												)
											: __( 'Not set', 'pulse-sync' )
									}
									value={ clientSecret }
									onChange={ setClientSecret }
									autoComplete="new-password"
								/>
								<Flex justify="flex-start">
									<Button
										variant="secondary"
										onClick={ saveDraft }
										isBusy={ saving && busy === null }
										disabled={ saving || busy !== null }
									>
										{ __( 'Save', 'pulse-sync' ) }
									</Button>
									<Button
										variant="primary"
										onClick={ onConnect }
										isBusy={ busy === 'connect' }
										disabled={ saving || busy !== null }
									>
										{ connected
											? __( 'Reconnect', 'pulse-sync' )
											: __( 'Connect', 'pulse-sync' ) }
									</Button>
								</Flex>
							</CardBody>
						</Card>
						<Card>
							<CardHeader>
								<h2>
									{ __( 'Connection status', 'pulse-sync' ) }
								</h2>
							</CardHeader>
							<CardBody>
								{ status.loading && <LoadingState /> }
								{ ! status.loading && (
									<CrmStatusSummary
										crm={ status.data?.crm ?? null }
									/>
								) }
								{ status.error !== null && (
									<p role="alert">{ status.error.message }</p>
								) }
								<Flex justify="flex-start">
									<Button
										variant="secondary"
										onClick={ onRefreshLists }
										isBusy={ busy === 'refresh' }
										disabled={
											busy !== null || ! connected
										}
									>
										{ __(
											'Refresh fields and tags',
											'pulse-sync'
										) }
									</Button>
									<Button
										variant="secondary"
										isDestructive
										onClick={ onDisconnect }
										isBusy={ busy === 'disconnect' }
										disabled={
											busy !== null || ! connected
										}
									>
										{ __( 'Disconnect', 'pulse-sync' ) }
									</Button>
								</Flex>
							</CardBody>
						</Card>
					</>
				)
			}
		</ScreenFrame>
	);
}
