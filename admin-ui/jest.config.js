const defaultConfig = require( '@wordpress/scripts/config/jest-unit.config' );

module.exports = {
	...defaultConfig,
	rootDir: __dirname,
	roots: [ '<rootDir>/test' ],
	testMatch: [ '**/*.test.[jt]s?(x)' ],
	// Jest adds these after the preset's own (the console guard of @wordpress/jest-console).
	setupFilesAfterEnv: [ '<rootDir>/test/setup-dom.ts' ],
};
