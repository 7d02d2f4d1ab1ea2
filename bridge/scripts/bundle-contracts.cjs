/**
 * The bridge tarball carries `@pulse-sync/contracts` inside it (bundleDependencies in
 * package.json), since that package is a workspace of this repository and is not published.
 * `npm pack` bundles only what lies in the bridge's own node_modules, and a workspace lies in the
 * root's as a link, so `prepack` lays a real copy of the compiled package there and `postpack`
 * (`--remove`) takes it away again, so that the repository keeps resolving the workspace itself.
 */
const fs = require( 'node:fs' );
const path = require( 'node:path' );

const source = path.join( __dirname, '..', '..', 'contracts' );
const target = path.join(
	__dirname,
	'..',
	'node_modules',
	'@pulse-sync',
	'contracts'
);

fs.rmSync( target, { recursive: true, force: true } );
if ( process.argv[ 2 ] === '--remove' ) {
	// The folders prepack made, unless npm put something else there.
	for ( const folder of [
		path.dirname( target ),
		path.dirname( path.dirname( target ) ),
	] ) {
		if (
			fs.existsSync( folder ) &&
			fs.readdirSync( folder ).length === 0
		) {
			fs.rmdirSync( folder );
		}
	}
} else {
	fs.mkdirSync( target, { recursive: true } );
	fs.copyFileSync(
		path.join( source, 'package.json' ),
		path.join( target, 'package.json' )
	);
	fs.cpSync( path.join( source, 'dist' ), path.join( target, 'dist' ), {
		recursive: true,
		filter: ( file ) =>
			fs.statSync( file ).isDirectory() || /\.js$/.test( file ),
	} );
}
