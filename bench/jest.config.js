/** Unit tests of the harness's pure parts (`npx jest -c bench/jest.config.js`); never timings. */
module.exports = require( '../jest.node.config' )( __dirname );
