/** Jest runs the TypeScript sources directly; type checking is `npm run typecheck` (tsc). */
module.exports = {
	testEnvironment: 'node',
	roots: [ '<rootDir>/test' ],
	testMatch: [ '**/*.test.ts' ],
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{ isolatedModules: true, diagnostics: false },
		],
	},
	testTimeout: 30000,
};
