import {
	Button,
	Card,
	CardBody,
	CardHeader,
	CheckboxControl,
	SelectControl,
	ToggleControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';

import { errorMessage } from '../api/client';
import { fetchCrmTags } from '../api/crm';
import {
	commandRun,
	countTagged,
	fetchRuns,
	isActive,
	startRun,
	type ImportCommand,
	type ImportRun,
	type NewRun,
} from '../api/imports';
import { fetchRoles } from '../api/roles';
import { AllowedRoleSelect } from '../components/AllowedRoleSelect';
import { controlProps } from '../components/control-props';
import { ImportProgress } from '../components/ImportProgress';
import { ReconcileSettings } from '../components/ReconcileSettings';
import { ScreenFrame } from '../components/ScreenFrame';
import { useAsync, useInterval, useMountedRef } from '../components/use-async';
import { useNotices } from '../components/notices';

// The run lives in the bridge; the screen asks for it again this often while one is active.
const POLL_MS = 2000;

function runTitle( run: ImportRun ): string {
	switch ( run.kind ) {
		case 'import':
			return __( 'Import', 'pulse-sync' );
		case 'resync':
			return __( 'Resync', 'pulse-sync' );
		default:
			return __( 'Daily reconciliation', 'pulse-sync' );
	}
}

/**
 * Import users by CRM tag, and resync linked users, with the progress of the run the bridge is
 * working on (it survives a reload of this page and a restart of the bridge).
 */
export function BulkImportScreen() {
	const notices = useNotices();
	const mounted = useMountedRef();
	const tags = useAsync( () => fetchCrmTags() );
	const roles = useAsync( fetchRoles );
	const runs = useAsync( fetchRuns );
	const [ tagId, setTagId ] = useState( '' );
	const [ role, setRole ] = useState( '' );
	const [ welcome, setWelcome ] = useState( false );
	const [ mappedFields, setMappedFields ] = useState( false );
	const [ count, setCount ] = useState< number | null >( null );
	const [ busy, setBusy ] = useState( false );

	const latest: ImportRun | null = runs.data?.[ 0 ] ?? null;
	useInterval( () => {
		if ( latest !== null && isActive( latest ) ) {
			runs.reload();
		}
	}, POLL_MS );

	const act = async ( work: () => Promise< unknown > ) => {
		setBusy( true );
		try {
			await work();
			await runs.reload();
		} catch ( reason ) {
			if ( mounted.current ) {
				notices.notify( 'error', errorMessage( reason ) );
			}
		} finally {
			if ( mounted.current ) {
				setBusy( false );
			}
		}
	};
	const chooseTag = ( value: string ) => {
		setTagId( value );
		setCount( null );
		if ( value !== '' ) {
			act( async () => {
				const contacts = await countTagged( Number( value ) );
				if ( mounted.current ) {
					setCount( contacts );
				}
			} );
		}
	};
	const start = ( run: NewRun ) => act( () => startRun( run ) );
	const command = ( name: ImportCommand ) =>
		latest && act( () => commandRun( latest.id, name ) );

	const active = latest !== null && isActive( latest );

	return (
		<ScreenFrame
			loading={ runs.loading }
			loadError={ runs.error ? runs.error.message : null }
			notices={ notices }
		>
			{ () => (
				<>
					{ latest !== null && (
						<Card>
							<CardHeader>
								<h2>{ runTitle( latest ) }</h2>
							</CardHeader>
							<CardBody>
								<ImportProgress
									run={ latest }
									busy={ busy }
									onCommand={ command }
								/>
							</CardBody>
						</Card>
					) }
					<Card>
						<CardHeader>
							<h2>
								{ __( 'Import users by tag', 'pulse-sync' ) }
							</h2>
						</CardHeader>
						<CardBody>
							<p>
								{ __(
									'Creates or updates a user for every contact carrying the tag, through the same queue and rules as the add webhook: for contacts whose webhooks were missed, or that were tagged before the workflow existed.',
									'pulse-sync'
								) }
							</p>
							{ tags.error !== null && (
								<p role="alert">{ tags.error.message }</p>
							) }
							<SelectControl
								{ ...controlProps }
								label={ __( 'CRM tag', 'pulse-sync' ) }
								value={ tagId }
								options={ [
									{
										value: '',
										label: __(
											'— Choose a tag —',
											'pulse-sync'
										),
									},
									...( tags.data ?? [] ).map( ( tag ) => ( {
										value: String( tag.id ),
										label: tag.name,
									} ) ),
								] }
								onChange={ chooseTag }
							/>
							<AllowedRoleSelect
								label={ __( 'Role', 'pulse-sync' ) }
								roleList={ roles.data }
								value={ role }
								onChange={ setRole }
							/>
							<CheckboxControl
								__nextHasNoMarginBottom
								label={ __(
									'Send the welcome email to new users',
									'pulse-sync'
								) }
								checked={ welcome }
								onChange={ setWelcome }
							/>
							{ count !== null && (
								<p className="pulse-sync-import-count">
									{ sprintf(
										/* translators: %d: number of contacts. */
										_n(
											'%d contact carries this tag.',
											'%d contacts carry this tag.',
											count,
											'pulse-sync'
										),
										count
									) }
								</p>
							) }
							<Button
								variant="primary"
								disabled={
									busy ||
									active ||
									tagId === '' ||
									count === null
								}
								onClick={ () =>
									start( {
										kind: 'import',
										tag_id: Number( tagId ),
										role,
										send_notification: welcome,
									} )
								}
							>
								{ __( 'Import', 'pulse-sync' ) }
							</Button>
						</CardBody>
					</Card>
					<Card>
						<CardHeader>
							<h2>
								{ __( 'Resync linked users', 'pulse-sync' ) }
							</h2>
						</CardHeader>
						<CardBody>
							<p>
								{ __(
									'Reloads the tags of every user linked to a contact from the CRM: the tool for after an outage.',
									'pulse-sync'
								) }
							</p>
							<ToggleControl
								__nextHasNoMarginBottom
								label={ __(
									'Mapped fields too',
									'pulse-sync'
								) }
								checked={ mappedFields }
								onChange={ setMappedFields }
							/>
							<Button
								variant="secondary"
								disabled={ busy || active }
								onClick={ () =>
									start( {
										kind: 'resync',
										mapped_fields: mappedFields,
									} )
								}
							>
								{ __( 'Resync linked users', 'pulse-sync' ) }
							</Button>
						</CardBody>
					</Card>
					<ReconcileSettings tags={ tags.data ?? [] } />
				</>
			) }
		</ScreenFrame>
	);
}
