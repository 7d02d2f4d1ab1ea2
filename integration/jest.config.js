/**
 * End-to-end webhook tests: real HTTP to the running stack named by PULSE_STACK_FILE (WordPress,
 * bridge, CRM sandbox). `npm test` starts that stack; by hand: `npm run stack:up` first.
 */
module.exports = {
	testEnvironment: 'node',
	rootDir: __dirname,
	testMatch: [ '<rootDir>/**/*.test.ts' ],
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{ isolatedModules: true, diagnostics: false },
		],
	},
	testTimeout: 120000,
};
