import {
	Button,
	Card,
	CardBody,
	Flex,
	FlexBlock,
	FlexItem,
	Notice,
	SelectControl,
	TextControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import type { FieldMappingRow } from '../api/settings';
import { controlProps } from '../components/control-props';
import { CrmFieldPicker } from '../components/CrmFieldPicker';
import {
	RefreshCrmFieldsButton,
	SaveButton,
} from '../components/ActionButtons';
import { ScreenFrame } from '../components/ScreenFrame';
import { useCrmFields } from '../components/use-crm-fields';
import { useDraft } from '../components/use-draft';
import { useSettings } from '../components/use-settings';
import {
	CORE_USER_FIELDS,
	isCoreUserField,
	validateFieldMapping,
} from '../lib/field-mapping';

/** The select value that switches a row to a free-text user meta key. */
const META_OPTION = '__meta__';

interface EditableRow extends FieldMappingRow {
	/** Stable React key: rows can be removed from the middle. */
	id: number;
	isMeta: boolean;
}

let nextRowId = 1;

function toEditable( row: FieldMappingRow ): EditableRow {
	return {
		...row,
		id: nextRowId++,
		isMeta: row.wp !== '' && ! isCoreUserField( row.wp ),
	};
}

const WP_FIELD_OPTIONS = [
	{ value: '', label: __( '— Choose a WordPress field —', 'pulse-sync' ) },
	...CORE_USER_FIELDS.map( ( field ) => ( {
		value: field.key,
		label: `${ field.label } (${ field.key })`,
	} ) ),
	{ value: META_OPTION, label: __( 'User meta key…', 'pulse-sync' ) },
];

export function FieldMappingScreen() {
	const { settings, loading, loadError, saving, save, notices } =
		useSettings();
	const crmFields = useCrmFields();
	const [ draftRows, setRows ] = useDraft( settings, ( saved ) =>
		saved.field_mapping.map( toEditable )
	);
	const rows = draftRows ?? [];
	const [ showProblems, setShowProblems ] = useState( false );

	const updateRow = ( id: number, changes: Partial< EditableRow > ) =>
		setRows( ( current ) =>
			current.map( ( row ) =>
				row.id === id ? { ...row, ...changes } : row
			)
		);

	const chooseWpField = ( id: number, value: string ) =>
		updateRow(
			id,
			value === META_OPTION
				? { isMeta: true, wp: '' }
				: { isMeta: false, wp: value }
		);

	const mapping = rows.map( ( { wp, crm } ) => ( {
		wp: wp.trim(),
		crm: crm.trim(),
	} ) );
	const problems = validateFieldMapping( mapping );

	const onSave = () => {
		if ( problems.length > 0 ) {
			setShowProblems( true );
			notices.notify(
				'error',
				__(
					'The mapping has problems; fix them, then save again.',
					'pulse-sync'
				)
			);
			return;
		}
		setShowProblems( false );
		save( { field_mapping: mapping } );
	};

	return (
		<ScreenFrame
			loading={ loading }
			loadError={ loadError }
			notices={ notices }
		>
			{ () => (
				<Card>
					<CardBody>
						<p>
							{ __(
								'Which CRM contact field fills which WordPress user field. A field that is not a core user field is stored as user meta under the key you enter.',
								'pulse-sync'
							) }
						</p>
						{ crmFields.error !== null && (
							<p role="alert">
								{ sprintf(
									/* translators: %s: error message. */
									__(
										'The CRM fields could not be loaded (%s); enter CRM field keys by hand.',
										'pulse-sync'
									),
									crmFields.error
								) }
							</p>
						) }
						{ rows.length === 0 && (
							<p>
								{ __(
									'No fields are mapped yet.',
									'pulse-sync'
								) }
							</p>
						) }
						{ rows.map( ( row, index ) => {
							const rowLabel = sprintf(
								/* translators: %d: row number. */
								__( 'row %d', 'pulse-sync' ),
								index + 1
							);
							const rowProblems = showProblems
								? problems.filter(
										( problem ) => problem.row === index
									)
								: [];
							return (
								<div
									key={ row.id }
									className="pulse-sync-mapping-row"
								>
									<Flex align="flex-start">
										<FlexBlock>
											<SelectControl
												{ ...controlProps }
												label={ sprintf(
													/* translators: %s: "row 1" etc. */
													__(
														'WordPress field, %s',
														'pulse-sync'
													),
													rowLabel
												) }
												value={
													row.isMeta
														? META_OPTION
														: row.wp
												}
												options={ WP_FIELD_OPTIONS }
												onChange={ ( value: string ) =>
													chooseWpField(
														row.id,
														value
													)
												}
											/>
											{ row.isMeta && (
												<TextControl
													{ ...controlProps }
													label={ sprintf(
														/* translators: %s: "row 1" etc. */
														__(
															'User meta key, %s',
															'pulse-sync'
														),
														rowLabel
													) }
													value={ row.wp }
													onChange={ ( wp: string ) =>
														updateRow( row.id, {
															wp,
														} )
													}
												/>
											) }
										</FlexBlock>
										<FlexBlock>
											<CrmFieldPicker
												label={ sprintf(
													/* translators: %s: "row 1" etc. */
													__(
														'CRM field, %s',
														'pulse-sync'
													),
													rowLabel
												) }
												value={ row.crm }
												fields={ crmFields.fields }
												loading={ crmFields.loading }
												onChange={ ( crm ) =>
													updateRow( row.id, {
														crm,
													} )
												}
											/>
										</FlexBlock>
										<FlexItem>
											<Button
												variant="tertiary"
												isDestructive
												onClick={ () =>
													setRows( ( current ) =>
														current.filter(
															( item ) =>
																item.id !==
																row.id
														)
													)
												}
											>
												{ sprintf(
													/* translators: %s: "row 1" etc. */
													__(
														'Remove %s',
														'pulse-sync'
													),
													rowLabel
												) }
											</Button>
										</FlexItem>
									</Flex>
									{ rowProblems.map( ( problem ) => (
										<p
											key={ problem.message }
											className="pulse-sync-problem"
											role="alert"
										>
											{ problem.message }
										</p>
									) ) }
								</div>
							);
						} ) }
						{ showProblems &&
							problems
								.filter( ( problem ) => problem.row === null )
								.map( ( problem ) => (
									<Notice
										key={ problem.message }
										status="error"
										isDismissible={ false }
									>
										{ problem.message }
									</Notice>
								) ) }
						<Flex justify="flex-start">
							<Button
								variant="secondary"
								onClick={ () =>
									setRows( ( current ) => [
										...current,
										toEditable( { wp: '', crm: '' } ),
									] )
								}
							>
								{ __( 'Add field', 'pulse-sync' ) }
							</Button>
							<RefreshCrmFieldsButton crmFields={ crmFields } />
							<SaveButton
								onSave={ onSave }
								saving={ saving }
								label={ __( 'Save mapping', 'pulse-sync' ) }
							/>
						</Flex>
					</CardBody>
				</Card>
			) }
		</ScreenFrame>
	);
}
