/**
 * A throwaway certificate authority and one server certificate signed by it, made with `openssl`,
 * for tests that put TLS in front of the bridge (the web-server snippets of deploy/).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestCertificates {
	/** The CA certificate a client must trust (PEM). */
	caFile: string;
	/** The server certificate (PEM), valid for the names given. */
	certificateFile: string;
	/** The server's private key (PEM, mode 0600). */
	keyFile: string;
}

function openssl( args: string[], cwd: string ): void {
	const run = spawnSync( 'openssl', args, { cwd, encoding: 'utf8' } );
	if ( run.error || run.status !== 0 ) {
		throw new Error(
			`openssl ${ args[ 0 ] } failed: ${ run.error?.message ?? run.stderr }`
		);
	}
}

const KEY = [ '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1' ];

/**
 * A new CA and a server certificate for `names` (IP addresses or DNS names), valid two days.
 * @param dir   Folder to write ca.pem, server.pem and server.key into (created).
 * @param names The subject alternative names of the server certificate.
 */
export function makeTestCertificates(
	dir: string,
	names: string[]
): TestCertificates {
	fs.mkdirSync( dir, { recursive: true } );
	const altNames = names
		.map( ( name ) =>
			/^[\d.]+$|:/.test( name ) ? `IP:${ name }` : `DNS:${ name }`
		)
		.join( ',' );
	openssl(
		[
			'req',
			'-x509',
			...KEY,
			'-nodes',
			'-keyout',
			'ca.key',
			'-out',
			'ca.pem',
			'-days',
			'2',
			'-subj',
			'/CN=Pulse Sync test CA',
			'-addext',
			'basicConstraints=critical,CA:TRUE',
			'-addext',
			'keyUsage=critical,keyCertSign,cRLSign',
		],
		dir
	);
	openssl(
		[
			'req',
			...KEY,
			'-nodes',
			'-keyout',
			'server.key',
			'-out',
			'server.csr',
			'-subj',
			`/CN=${ names[ 0 ] ?? 'localhost' }`,
		],
		dir
	);
	fs.writeFileSync(
		path.join( dir, 'server.ext' ),
		`subjectAltName=${ altNames }\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`
	);
	openssl(
		[
			'x509',
			'-req',
			'-in',
			'server.csr',
			'-CA',
			'ca.pem',
			'-CAkey',
			'ca.key',
			'-CAcreateserial',
			'-out',
			'server.pem',
			'-days',
			'2',
			'-extfile',
			'server.ext',
		],
		dir
	);
	fs.chmodSync( path.join( dir, 'server.key' ), 0o600 );
	return {
		caFile: path.join( dir, 'ca.pem' ),
		certificateFile: path.join( dir, 'server.pem' ),
		keyFile: path.join( dir, 'server.key' ),
	};
}
