/**
 * Jest runs the TypeScript sources directly; type checking is `npm run typecheck` (tsc).
 * Transpile-only comes from `isolatedModules` in the root tsconfig (ts-jest's own option is deprecated).
 */
module.exports = {
	testEnvironment: 'node',
	roots: [ '<rootDir>/test' ],
	testMatch: [ '**/*.test.ts' ],
	transform: {
		'^.+\\.ts$': [ 'ts-jest', { diagnostics: false } ],
	},
	testTimeout: 30000,
};
