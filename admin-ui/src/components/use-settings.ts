import { useCallback, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import {
	fetchSettings,
	saveSettings,
	type Settings,
	type SettingsChanges,
} from '../api/settings';
import { useAsync, useMountedRef } from './use-async';
import { useNotices, type Notices } from './notices';

export interface SettingsState {
	settings: Settings | null;
	loading: boolean;
	loadError: string | null;
	saving: boolean;
	/** Sends only `changes`; resolves to whether the save went through. */
	save: ( changes: SettingsChanges ) => Promise< boolean >;
	notices: Notices;
}

/** Shared by every screen that edits `pulse_sync_settings`: load, save a part, report. */
export function useSettings(): SettingsState {
	const { data, error, loading, setData } = useAsync( fetchSettings );
	const [ saving, setSaving ] = useState( false );
	const notices = useNotices();
	const mounted = useMountedRef();
	const { notify, notifyError } = notices;

	const save = useCallback(
		async ( changes: SettingsChanges ) => {
			setSaving( true );
			try {
				const saved = await saveSettings( changes );
				if ( mounted.current ) {
					setData( saved );
					notify( 'success', __( 'Settings saved.', 'pulse-sync' ) );
				}
				return true;
			} catch ( reason ) {
				if ( mounted.current ) {
					notifyError( reason );
				}
				return false;
			} finally {
				if ( mounted.current ) {
					setSaving( false );
				}
			}
		},
		[ mounted, notify, notifyError, setData ]
	);

	return {
		settings: data,
		loading,
		loadError: error ? error.message : null,
		saving,
		save,
		notices,
	};
}
