/**
 * The SMTP sink is a real SMTP server: talk SMTP to it over TCP, as PHPMailer does, and read
 * the captured message back the way the tests do.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mailTo } from '../src/mail';
import { startSmtpSink } from '../src/smtp-sink';

function converse( port: number, lines: string[] ): Promise< string > {
	return new Promise( ( resolve, reject ) => {
		const socket = net.connect( port, '127.0.0.1' );
		let transcript = '';
		const pending = [ ...lines ];
		socket.on( 'data', ( chunk ) => {
			transcript += chunk.toString();
			// Each server reply ends with a line "NNN text\r\n"; answer it with our next line.
			if ( /^\d{3} .*\r\n$/m.test( chunk.toString() ) ) {
				const next = pending.shift();
				if ( next === undefined ) {
					socket.end();
				} else {
					socket.write( next + '\r\n' );
				}
			}
		} );
		socket.on( 'end', () => resolve( transcript ) );
		socket.on( 'error', reject );
	} );
}

test( 'a message sent over SMTP is captured with its recipient and subject', async () => {
	const folder = fs.mkdtempSync( path.join( os.tmpdir(), 'pulse-mail-' ) );
	const server = await startSmtpSink( 0, folder );
	const address = server.server.address() as net.AddressInfo;
	try {
		const transcript = await converse( address.port, [
			'EHLO test.local',
			'MAIL FROM:<wordpress@example.test>',
			'RCPT TO:<Ada@Example.test>',
			'DATA',
			'Subject: [Pulse Sync Demo] Login Details\r\nFrom: wordpress@example.test\r\n\r\nUsername: ada\r\n.',
			'QUIT',
		] );
		expect( transcript ).toContain( '250' );
		const mails = mailTo( folder, 'ada@example.test' );
		expect( mails ).toHaveLength( 1 );
		expect( mails[ 0 ]?.subject ).toBe( '[Pulse Sync Demo] Login Details' );
		expect( mails[ 0 ]?.text ).toContain( 'Username: ada' );
		expect( fs.existsSync( mails[ 0 ]?.file ?? '' ) ).toBe( true );
		expect( mailTo( folder, 'someone-else@example.test' ) ).toEqual( [] );
	} finally {
		await new Promise< void >( ( resolve ) =>
			server.close( () => resolve() )
		);
		fs.rmSync( folder, { recursive: true, force: true } );
	}
} );
