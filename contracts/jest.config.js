module.exports = require( '../jest.node.config' )( __dirname );
