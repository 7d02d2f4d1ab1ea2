import { useEffect, useState } from '@wordpress/element';

/**
 * `value`, once it has stopped changing for `delayMs` (so typing a filter sends one request).
 * @param value   The value as it changes.
 * @param delayMs How long it must stay the same.
 */
export function useDebounced< T >( value: T, delayMs: number ): T {
	const [ settled, setSettled ] = useState( value );
	useEffect( () => {
		const timer = window.setTimeout( () => setSettled( value ), delayMs );
		return () => window.clearTimeout( timer );
	}, [ value, delayMs ] );
	return settled;
}
