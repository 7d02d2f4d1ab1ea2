import { TabPanel } from '@wordpress/components';
import { useEffect, useRef, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { ComponentType } from 'react';

import { hashFor, screenFromLocation, type ScreenName } from './routes';
import { BulkImportScreen } from './screens/BulkImportScreen';
import { CrmConnectionScreen } from './screens/CrmConnectionScreen';
import { DeliveryLogScreen } from './screens/DeliveryLogScreen';
import { FieldMappingScreen } from './screens/FieldMappingScreen';
import { ImportSettingsScreen } from './screens/ImportSettingsScreen';
import { ReturnPasswordScreen } from './screens/ReturnPasswordScreen';
import { StatusScreen } from './screens/StatusScreen';
import { WebhooksScreen } from './screens/WebhooksScreen';

const SCREENS: Array< {
	name: ScreenName;
	title: string;
	Screen: ComponentType;
} > = [
	{
		name: 'webhooks',
		title: __( 'Webhooks', 'pulse-sync' ),
		Screen: WebhooksScreen,
	},
	{
		name: 'return-password',
		title: __( 'Return Password', 'pulse-sync' ),
		Screen: ReturnPasswordScreen,
	},
	{
		name: 'crm',
		title: __( 'CRM connection', 'pulse-sync' ),
		Screen: CrmConnectionScreen,
	},
	{
		name: 'import',
		title: __( 'Import settings', 'pulse-sync' ),
		Screen: ImportSettingsScreen,
	},
	{
		name: 'bulk-import',
		title: __( 'Import users', 'pulse-sync' ),
		Screen: BulkImportScreen,
	},
	{
		name: 'mapping',
		title: __( 'Field mapping', 'pulse-sync' ),
		Screen: FieldMappingScreen,
	},
	{
		name: 'status',
		title: __( 'Status', 'pulse-sync' ),
		Screen: StatusScreen,
	},
	{
		name: 'deliveries',
		title: __( 'Delivery log', 'pulse-sync' ),
		Screen: DeliveryLogScreen,
	},
];

function writeHash( screen: ScreenName ): void {
	const hash = hashFor( screen );
	if ( window.location.hash === hash ) {
		return;
	}
	// The first selection only names the page the owner is already on: no extra history entry.
	const method = window.location.hash === '' ? 'replaceState' : 'pushState';
	window.history[ method ]( null, '', hash );
}

/**
 * The tabs follow the address (`#/webhooks`, `#/deliveries`, …) so a screen can be bookmarked and
 * the browser's back button works. WordPress 6.1's TabPanel cannot be controlled, so a hash change
 * from outside remounts it on the new tab.
 */
export function App() {
	const [ initialScreen, setInitialScreen ] = useState( () =>
		screenFromLocation( window.location )
	);
	const [ panelKey, setPanelKey ] = useState( 0 );
	const selected = useRef( initialScreen );

	useEffect( () => {
		const followHash = () => {
			const screen = screenFromLocation( window.location );
			if ( screen !== selected.current ) {
				selected.current = screen;
				setInitialScreen( screen );
				setPanelKey( ( key ) => key + 1 );
			}
		};
		window.addEventListener( 'hashchange', followHash );
		return () => window.removeEventListener( 'hashchange', followHash );
	}, [] );

	const onSelect = ( name: string ) => {
		const screen = SCREENS.find( ( item ) => item.name === name );
		if ( screen ) {
			selected.current = screen.name;
			writeHash( screen.name );
		}
	};

	return (
		<div className="pulse-sync-admin">
			<h1>{ __( 'Pulse Sync', 'pulse-sync' ) }</h1>
			<TabPanel
				key={ panelKey }
				initialTabName={ initialScreen }
				onSelect={ onSelect }
				tabs={ SCREENS.map( ( { name, title } ) => ( {
					name,
					title,
				} ) ) }
			>
				{ ( tab ) => {
					const screen = SCREENS.find(
						( item ) => item.name === tab.name
					);
					return screen ? <screen.Screen /> : null;
				} }
			</TabPanel>
		</div>
	);
}
