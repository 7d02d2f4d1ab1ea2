module.exports = require( '../jest.node.config' )( __dirname, {
	// One PostgreSQL for the run: the queue's cases run on both engines (test/queue/).
	globalSetup: '<rootDir>/test/support/postgres-global-setup.ts',
	globalTeardown: '<rootDir>/test/support/postgres-global-teardown.ts',
} );
