import { useCallback, useState } from '@wordpress/element';

import { errorMessage } from '../api/client';
import { fetchCrmFields, type CrmField } from '../api/crm';
import { useAsync, useMountedRef } from './use-async';

export interface CrmFieldsState {
	/** null while loading or when the CRM could not be reached. */
	fields: CrmField[] | null;
	loading: boolean;
	refreshing: boolean;
	error: string | null;
	/** Asks the bridge to reload the list from the CRM (`?refresh=1`). */
	refresh: () => Promise< void >;
}

export function useCrmFields(): CrmFieldsState {
	const { data, error, loading, setData } = useAsync( () =>
		fetchCrmFields()
	);
	const [ refreshing, setRefreshing ] = useState( false );
	const [ refreshError, setRefreshError ] = useState< string | null >( null );
	const mounted = useMountedRef();

	const refresh = useCallback( async () => {
		setRefreshing( true );
		try {
			const fields = await fetchCrmFields( true );
			if ( mounted.current ) {
				setData( fields );
				setRefreshError( null );
			}
		} catch ( reason ) {
			if ( mounted.current ) {
				setRefreshError( errorMessage( reason ) );
			}
		} finally {
			if ( mounted.current ) {
				setRefreshing( false );
			}
		}
	}, [ mounted, setData ] );

	return {
		fields: data,
		loading,
		refreshing,
		error: refreshError ?? ( error ? error.message : null ),
		refresh,
	};
}
