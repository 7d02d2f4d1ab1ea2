import {
	Flex,
	FlexItem,
	SelectControl,
	TextControl,
} from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type {
	DeliveryAction,
	DeliveryFilters as Filters,
	DeliveryState,
} from '../api/deliveries';
import { controlProps } from './control-props';

export function DeliveryFilters( {
	filters,
	onChange,
}: {
	filters: Filters;
	onChange: ( filters: Filters ) => void;
} ) {
	return (
		<Flex justify="flex-start" align="flex-end" wrap>
			<FlexItem>
				<SelectControl
					{ ...controlProps }
					label={ __( 'Status', 'pulse-sync' ) }
					value={ filters.status }
					options={ [
						{ value: '', label: __( 'Any status', 'pulse-sync' ) },
						{
							value: 'queued',
							label: __( 'Queued', 'pulse-sync' ),
						},
						{
							value: 'in_progress',
							label: __( 'In progress', 'pulse-sync' ),
						},
						{ value: 'done', label: __( 'Done', 'pulse-sync' ) },
						{
							value: 'failed',
							label: __( 'Failed', 'pulse-sync' ),
						},
					] }
					onChange={ ( status: string ) =>
						onChange( {
							...filters,
							status: status as DeliveryState | '',
						} )
					}
				/>
			</FlexItem>
			<FlexItem>
				<SelectControl
					{ ...controlProps }
					label={ __( 'Action', 'pulse-sync' ) }
					value={ filters.action }
					options={ [
						{ value: '', label: __( 'Any action', 'pulse-sync' ) },
						{ value: 'add', label: 'add' },
						{ value: 'update', label: 'update' },
						{ value: 'update_tags', label: 'update_tags' },
					] }
					onChange={ ( action: string ) =>
						onChange( {
							...filters,
							action: action as DeliveryAction | '',
						} )
					}
				/>
			</FlexItem>
			<FlexItem>
				<TextControl
					{ ...controlProps }
					type="search"
					label={ __( 'Contact ID or email', 'pulse-sync' ) }
					value={ filters.search }
					onChange={ ( search: string ) =>
						onChange( { ...filters, search } )
					}
				/>
			</FlexItem>
		</Flex>
	);
}
