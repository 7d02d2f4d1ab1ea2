/**
 * ESLint for every TypeScript workspace: the WordPress rules (with Prettier formatting) that
 * `wp-scripts lint-js` uses for the panel, plus Node globals for the services and tools.
 */
const wpPlugin = require( '@wordpress/eslint-plugin' );
const globals = require( 'globals' );

module.exports = [
	{
		ignores: [
			'**/build/**',
			'**/node_modules/**',
			'**/dist/**',
			'plugin/**',
			'.stack*/**',
			'.cache/**',
			'bench/results/**',
		],
	},
	...wpPlugin.configs.recommended,
	...wpPlugin.configs[ 'test-unit' ].map( ( config ) => ( {
		...config,
		files: [
			'**/test/**/*.{ts,tsx}',
			'**/*.test.{ts,tsx}',
			'integration/**/*.ts',
		],
	} ) ),
	{
		files: [ '**/*.ts', '**/*.tsx' ],
		rules: {
			// TypeScript signatures already name and type every parameter; our doc comments say
			// why a function exists instead of repeating its parameter list.
			'jsdoc/require-param': 'off',
			'jsdoc/require-returns': 'off',
		},
	},
	{
		files: [
			'contracts/**',
			'bridge/**',
			'crm-sandbox/**',
			'dev/**',
			'bench/**',
			'e2e/**',
			'integration/**',
			'*.cjs',
		],
		languageOptions: { globals: { ...globals.node } },
		rules: {
			// Services and tools log to stdout by design (structured lines, stack progress).
			'no-console': 'off',
			// Node resolves workspace and built-in modules the import plugin cannot see.
			'import/no-extraneous-dependencies': 'off',
			'import/no-unresolved': 'off',
		},
	},
];
