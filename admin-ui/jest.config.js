const defaultConfig = require( '@wordpress/scripts/config/jest-unit.config' );

module.exports = {
	...defaultConfig,
	rootDir: __dirname,
	roots: [ '<rootDir>/test' ],
	testMatch: [ '**/*.test.[jt]s?(x)' ],
	// Jest adds these after the preset's own (the console guard of @wordpress/jest-console).
	setupFilesAfterEnv: [ '<rootDir>/test/setup-dom.ts' ],
	// userEvent types key by key; on the 2-core machine with other suites running in parallel a
	// screen test can need more than jest's default 5 s.
	testTimeout: 20000,
	// `@pulse-sync/contracts` from its TypeScript source (its package.json "exports").
	testEnvironmentOptions: {
		...defaultConfig.testEnvironmentOptions,
		customExportConditions: [ 'pulse-sync-source', 'browser' ],
	},
};
