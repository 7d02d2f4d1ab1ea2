/**
 * The wp-scripts build, changed in one place: `react/jsx-runtime` is bundled instead of being
 * mapped to WordPress's `react-jsx-runtime` script, which only exists from WordPress 6.6 on. The
 * panel must also run on WordPress 6.1 (React 17), where enqueueing a missing handle would drop
 * the whole script. The bundled runtime only needs `React` itself, which every version provides.
 * `@pulse-sync/contracts` is bundled from its TypeScript source (the `pulse-sync-source`
 * condition of its package.json "exports"), so the panel needs no build of it first.
 */
const defaultConfig = require( '@wordpress/scripts/config/webpack.config' );
// Installed with @wordpress/scripts, whose webpack config this file extends.
// eslint-disable-next-line import/no-extraneous-dependencies
const DependencyExtractionWebpackPlugin = require( '@wordpress/dependency-extraction-webpack-plugin' );

const BUNDLED_REQUESTS = new Set( [
	'react/jsx-runtime',
	'react/jsx-dev-runtime',
] );

/**
 * `undefined` would fall through to the plugin's defaults (which externalize the runtime); `false`
 * is a decided "not external", so webpack bundles the module from node_modules.
 *
 * @param {string} request Module request.
 * @return {false|undefined} false to bundle, undefined for the default mapping.
 */
function requestToExternal( request ) {
	return BUNDLED_REQUESTS.has( request ) ? false : undefined;
}

module.exports = {
	...defaultConfig,
	resolve: {
		...defaultConfig.resolve,
		conditionNames: [ 'pulse-sync-source', '...' ],
	},
	plugins: [
		...defaultConfig.plugins.filter(
			( plugin ) =>
				! ( plugin instanceof DependencyExtractionWebpackPlugin )
		),
		new DependencyExtractionWebpackPlugin( { requestToExternal } ),
	],
};
