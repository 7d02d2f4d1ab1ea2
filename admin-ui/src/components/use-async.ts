import { useCallback, useEffect, useRef, useState } from '@wordpress/element';

import { RestError, toRestError } from '../api/client';

export interface AsyncState< T > {
	data: T | null;
	error: RestError | null;
	/** True only until the first answer; background reloads keep showing the last data. */
	loading: boolean;
	reload: () => Promise< void >;
	setData: ( data: T ) => void;
}

/**
 * Loads data when the screen mounts, whenever one of `deps` changes, and on `reload()`. Only the
 * answer to the latest request is kept (a slow page 1 must not overwrite page 2), and answers that
 * arrive after the screen was closed are dropped: React 17 (WordPress 6.1) logs an error for state
 * updates on unmounted components.
 * @param load Fetches the data; the latest closure is used.
 * @param deps Values `load` reads; a change loads again.
 */
export function useAsync< T >(
	load: () => Promise< T >,
	deps: ReadonlyArray< unknown > = []
): AsyncState< T > {
	const [ data, setData ] = useState< T | null >( null );
	const [ error, setError ] = useState< RestError | null >( null );
	const [ loading, setLoading ] = useState( true );
	const mounted = useMountedRef();
	const latestRequest = useRef( 0 );
	const loadRef = useRef( load );
	loadRef.current = load;

	const reload = useCallback( async () => {
		const request = ++latestRequest.current;
		const isCurrent = () =>
			mounted.current && request === latestRequest.current;
		try {
			const result = await loadRef.current();
			if ( isCurrent() ) {
				setData( result );
				setError( null );
			}
		} catch ( reason ) {
			if ( isCurrent() ) {
				setError( toRestError( reason ) );
			}
		} finally {
			if ( isCurrent() ) {
				setLoading( false );
			}
		}
	}, [ mounted ] );

	useEffect( () => {
		reload();
		// The caller lists what `load` depends on, like the deps of useEffect.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [ reload, ...deps ] );

	return { data, error, loading, reload, setData };
}

/**
 * Calls `callback` every `intervalMs` while the component is mounted; used for the live views.
 * @param callback   What to run; the latest closure is used.
 * @param intervalMs Pause between calls.
 */
export function useInterval( callback: () => void, intervalMs: number ): void {
	const callbackRef = useRef( callback );
	callbackRef.current = callback;
	useEffect( () => {
		const timer = window.setInterval(
			() => callbackRef.current(),
			intervalMs
		);
		return () => window.clearInterval( timer );
	}, [ intervalMs ] );
}

/** A ref that says whether the component is still mounted, for answers of user actions. */
export function useMountedRef() {
	const mounted = useRef( true );
	useEffect( () => {
		mounted.current = true;
		return () => {
			mounted.current = false;
		};
	}, [] );
	return mounted;
}
