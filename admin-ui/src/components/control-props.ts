import { createRoot } from '@wordpress/element';

/**
 * Opt-in props for the input controls, chosen for the WordPress that runs the panel.
 *
 * WordPress 6.1 (React 17) spreads unknown props onto the DOM `<input>`/`<select>`, so
 * `__next40pxDefaultSize` would become a React warning there; WordPress 6.8 warns about the
 * deprecated 36px size unless it is set. `createRoot` arrived with React 18 in WordPress 6.2, so it
 * tells the two apart at run time. `__nextHasNoMarginBottom` is known to both.
 */
const supportsNextDefaultSize = typeof createRoot === 'function';

export const controlProps: {
	__nextHasNoMarginBottom: true;
	__next40pxDefaultSize?: true;
} = supportsNextDefaultSize
	? { __nextHasNoMarginBottom: true, __next40pxDefaultSize: true }
	: { __nextHasNoMarginBottom: true };
