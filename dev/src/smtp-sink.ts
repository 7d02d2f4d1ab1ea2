/**
 * A real SMTP server on 127.0.0.1 that accepts every message and writes it to a folder: the raw
 * message as `<n>.eml` and the parsed essentials as `<n>.json` (see mail.ts). WordPress reaches it
 * through the stack's mu-plugin; nothing leaves the machine.
 *
 * Run: tsx dev/src/smtp-sink.ts <port> <folder>
 */
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { CapturedMail } from './mail';

export function startSmtpSink(
	port: number,
	folder: string
): Promise< SMTPServer > {
	fs.mkdirSync( folder, { recursive: true } );
	let counter = fs
		.readdirSync( folder )
		.filter( ( name ) => name.endsWith( '.json' ) ).length;
	const server = new SMTPServer( {
		authOptional: true,
		disabledCommands: [ 'STARTTLS', 'AUTH' ],
		logger: false,
		onData( stream, session, callback ) {
			const chunks: Buffer[] = [];
			stream.on( 'data', ( chunk: Buffer ) => chunks.push( chunk ) );
			stream.on( 'end', async () => {
				try {
					const raw = Buffer.concat( chunks );
					const parsed = await simpleParser( raw );
					counter += 1;
					const base = path.join(
						folder,
						`${ Date.now() }-${ String( counter ).padStart( 5, '0' ) }`
					);
					const mail: CapturedMail = {
						receivedAt: new Date().toISOString(),
						envelopeFrom: session.envelope.mailFrom
							? session.envelope.mailFrom.address
							: '',
						envelopeTo: session.envelope.rcptTo.map(
							( rcpt ) => rcpt.address
						),
						subject: parsed.subject ?? '',
						text: parsed.text ?? '',
						file: `${ base }.eml`,
					};
					fs.writeFileSync( `${ base }.eml`, raw );
					fs.writeFileSync(
						`${ base }.json`,
						JSON.stringify( mail, null, 2 )
					);
					callback();
				} catch ( error ) {
					callback( error as Error );
				}
			} );
		},
	} );
	return new Promise( ( resolve, reject ) => {
		server.once( 'error', reject );
		server.listen( port, '127.0.0.1', () => resolve( server ) );
	} );
}

if ( require.main === module ) {
	const [ port, folder ] = process.argv.slice( 2 );
	if ( ! port || ! folder ) {
		console.error( 'usage: smtp-sink.ts <port> <folder>' );
		process.exit( 2 );
	}
	startSmtpSink( Number( port ), folder ).then(
		() =>
			console.log(
				`[smtp-sink] listening on 127.0.0.1:${ port }, writing to ${ folder }`
			),
		( error: Error ) => {
			console.error( `[smtp-sink] ${ error.message }` );
			process.exit( 1 );
		}
	);
	process.on( 'SIGTERM', () => process.exit( 0 ) );
}
