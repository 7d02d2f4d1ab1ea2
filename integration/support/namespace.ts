/**
 * A second "host" on this machine for end-to-end tests: a network namespace joined to the root
 * namespace by a veth pair (../shared/machine.md), plus plain TCP forwarders that make services
 * of the stack, which listen on 127.0.0.1 only, reachable from the namespace over that link.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { createServer as tlsServer } from 'node:tls';

export interface Namespace {
	name: string;
	/** The root namespace's end of the link. */
	hostAddress: string;
	/** The namespace's end of the link: the other host's address. */
	address: string;
	hostInterface: string;
}

function ip( args: string[] ): { ok: boolean; output: string } {
	const run = spawnSync( 'ip', args, { encoding: 'utf8' } );
	return {
		ok: ! run.error && run.status === 0,
		output: run.error
			? run.error.message
			: `${ run.stdout }${ run.stderr }`,
	};
}

/** Why no namespace can be made here, or null when one can (root and `ip netns` present). */
export function namespaceUnavailable(): string | null {
	if ( process.getuid?.() !== 0 ) {
		return 'network namespaces need root (CI runs as root)';
	}
	const listed = ip( [ 'netns', 'list' ] );
	return listed.ok
		? null
		: `\`ip netns\` is unavailable: ${ listed.output.trim() }`;
}

/**
 * A new namespace with loopback up and a /30 link to the root namespace.
 * @param tag Short tag (a few letters or digits) that makes the names unique to this run.
 */
export function createNamespace( tag: string ): Namespace {
	const octet = ( process.pid % 200 ) + 20;
	const ns: Namespace = {
		name: `pulse-${ tag }`,
		hostAddress: `10.231.${ octet }.1`,
		address: `10.231.${ octet }.2`,
		hostInterface: `pl${ tag }h`,
	};
	const peer = `pl${ tag }n`;
	const steps = [
		[ 'netns', 'add', ns.name ],
		[
			'link',
			'add',
			ns.hostInterface,
			'type',
			'veth',
			'peer',
			'name',
			peer,
		],
		[ 'link', 'set', peer, 'netns', ns.name ],
		[ 'addr', 'add', `${ ns.hostAddress }/30`, 'dev', ns.hostInterface ],
		[ 'link', 'set', ns.hostInterface, 'up' ],
		[ '-n', ns.name, 'addr', 'add', `${ ns.address }/30`, 'dev', peer ],
		[ '-n', ns.name, 'link', 'set', peer, 'up' ],
		[ '-n', ns.name, 'link', 'set', 'lo', 'up' ],
	];
	for ( const step of steps ) {
		const result = ip( step );
		if ( ! result.ok ) {
			removeNamespace( ns );
			throw new Error(
				`ip ${ step.join( ' ' ) } failed: ${ result.output }`
			);
		}
	}
	return ns;
}

/** Deletes the namespace (its end of the link goes with it) and the root end if left. */
export function removeNamespace( ns: Namespace ): void {
	ip( [ 'netns', 'delete', ns.name ] );
	ip( [ 'link', 'delete', ns.hostInterface ] );
}

/** The command line that runs `command` inside the namespace. */
export function inNamespace(
	ns: Namespace,
	command: string,
	args: string[]
): { command: string; args: string[] } {
	return {
		command: 'ip',
		args: [ 'netns', 'exec', ns.name, command, ...args ],
	};
}

/**
 * A TCP forwarder from `listen` to `target`; close() also ends its open connections.
 * @param listen      Address and port to accept connections on.
 * @param listen.host The address.
 * @param listen.port The port.
 * @param target      Where to send them.
 * @param target.host Its address.
 * @param target.port Its port.
 * @param tls         Certificate and key (PEM) to terminate TLS with, as a site's web server does.
 * @param tls.cert    The certificate.
 * @param tls.key     Its private key.
 */
export async function forwardTcp(
	listen: { host: string; port: number },
	target: { host: string; port: number },
	tls?: { cert: string; key: string }
): Promise< { close: () => Promise< void > } > {
	const sockets = new Set< net.Socket >();
	const accept = ( client: net.Socket ) => {
		const upstream = net.connect( target.port, target.host );
		for ( const socket of [ client, upstream ] ) {
			sockets.add( socket );
			socket.on( 'close', () => sockets.delete( socket ) );
		}
		client.on( 'error', () => upstream.destroy() );
		upstream.on( 'error', () => client.destroy() );
		client.pipe( upstream );
		upstream.pipe( client );
	};
	const server = tls ? tlsServer( tls, accept ) : net.createServer( accept );
	await new Promise< void >( ( resolve, reject ) => {
		server.once( 'error', reject );
		server.listen( listen.port, listen.host, () => resolve() );
	} );
	return {
		close: () =>
			new Promise< void >( ( resolve ) => {
				for ( const socket of sockets ) {
					socket.destroy();
				}
				server.close( () => resolve() );
			} ),
	};
}
