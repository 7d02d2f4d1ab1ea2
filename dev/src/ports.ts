/**
 * Ports: each service has a preferred port (configurable by environment variable) and falls
 * back to a free one chosen by the kernel, so a second stack or a busy default never blocks.
 */
import net from 'node:net';

function tryListen( port: number ): Promise< number | null > {
	return new Promise( ( resolve ) => {
		const server = net.createServer();
		server.once( 'error', () => resolve( null ) );
		server.listen( port, '127.0.0.1', () => {
			const address = server.address();
			const chosen =
				typeof address === 'object' && address ? address.port : null;
			server.close( () => resolve( chosen ) );
		} );
	} );
}

export async function pickPort(
	envName: string,
	preferred: number
): Promise< number > {
	const configured = process.env[ envName ];
	if ( configured !== undefined && configured !== '' ) {
		const port = Number( configured );
		if ( ! Number.isInteger( port ) || port < 1 || port > 65535 ) {
			throw new Error(
				`${ envName } must be a port number, got "${ configured }"`
			);
		}
		if ( ( await tryListen( port ) ) === null ) {
			throw new Error( `${ envName }=${ port } is already in use` );
		}
		return port;
	}
	const free = ( await tryListen( preferred ) ) ?? ( await tryListen( 0 ) );
	if ( free === null ) {
		throw new Error( 'no free TCP port on 127.0.0.1' );
	}
	return free;
}

/** A port that was free a moment ago, for a test that starts a server of its own. */
export async function freePort(): Promise< number > {
	const free = await tryListen( 0 );
	if ( free === null ) {
		throw new Error( 'no free TCP port on 127.0.0.1' );
	}
	return free;
}
