/**
 * `npm start` stays in the foreground and shows the services' logs as they grow, until Ctrl-C.
 * Polling instead of fs.watch: it works the same on every filesystem and costs nothing here.
 */
import fs from 'node:fs';
import path from 'node:path';

export function followLogs( logDir: string ): Promise< void > {
	const offsets = new Map< string, number >();
	for ( const name of fs.readdirSync( logDir ) ) {
		offsets.set( name, fs.statSync( path.join( logDir, name ) ).size );
	}
	const poll = () => {
		for ( const name of fs.readdirSync( logDir ) ) {
			const file = path.join( logDir, name );
			const size = fs.statSync( file ).size;
			const from = offsets.get( name ) ?? 0;
			if ( size > from ) {
				const buffer = Buffer.alloc( size - from );
				const fd = fs.openSync( file, 'r' );
				fs.readSync( fd, buffer, 0, buffer.length, from );
				fs.closeSync( fd );
				const label = name.replace( /\.log$/, '' );
				for ( const line of buffer
					.toString( 'utf8' )
					.split( '\n' )
					.filter( Boolean ) ) {
					console.log( `[${ label }] ${ line }` );
				}
			}
			offsets.set( name, size );
		}
	};
	return new Promise( ( resolve ) => {
		const timer = setInterval( poll, 500 );
		const stop = () => {
			clearInterval( timer );
			console.log( '\n[stack] stopping…' );
			resolve();
		};
		process.once( 'SIGINT', stop );
		process.once( 'SIGTERM', stop );
	} );
}
