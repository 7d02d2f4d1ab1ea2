/**
 * The jest setup every Node workspace shares: TypeScript sources run through ts-jest without type
 * checking (isolatedModules in tsconfig.json; `npm run lint` runs tsc), tests named *.test.ts.
 *
 * @param {string} rootDir   The workspace folder (its __dirname).
 * @param {Object} overrides Options that differ for that workspace.
 * @return {Object} A jest configuration.
 */
module.exports = ( rootDir, overrides = {} ) => ( {
	rootDir,
	testEnvironment: 'node',
	roots: [ '<rootDir>/test' ],
	testMatch: [ '**/*.test.ts' ],
	transform: {
		'^.+\\.ts$': [ 'ts-jest', { diagnostics: false } ],
	},
	// `@pulse-sync/contracts` is read from its TypeScript source (package.json "exports"), so no
	// test needs contracts/dist built.
	testEnvironmentOptions: {
		customExportConditions: [ 'pulse-sync-source', 'node', 'node-addons' ],
	},
	testTimeout: 30000,
	...overrides,
} );
