/**
 * End-to-end webhook tests: real HTTP to the running stack named by PULSE_STACK_FILE (WordPress,
 * bridge, CRM sandbox). `npm test` starts that stack; by hand: `npm run stack:up` first.
 */
module.exports = require( '../jest.node.config' )( __dirname, {
	roots: [ '<rootDir>' ],
	testTimeout: 120000,
	// A test that times out leaves its polling loop behind; the run must still end.
	forceExit: true,
} );
