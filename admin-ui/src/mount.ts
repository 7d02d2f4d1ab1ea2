import { createRoot, render } from '@wordpress/element';
import type { ReactElement } from 'react';

/**
 * WordPress 6.2+ (React 18) has `createRoot`; WordPress 6.1 (React 17) only `render`, and React 18
 * logs an error when the legacy `render` is used, so each runtime gets its own API.
 * @param app       The root element.
 * @param container The DOM node the plugin printed.
 */
export function mount( app: ReactElement, container: HTMLElement ): void {
	if ( typeof createRoot === 'function' ) {
		createRoot( container ).render( app );
		return;
	}
	render( app, container );
}
