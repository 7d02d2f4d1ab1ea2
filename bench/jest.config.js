/** Unit tests of the harness's pure parts (`npx jest -c bench/jest.config.js`); never timings. */
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
