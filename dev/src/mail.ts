/** Reading the mail the SMTP sink captured (tests and `npm start` use this). */
import fs from 'node:fs';
import path from 'node:path';

export interface CapturedMail {
	receivedAt: string;
	envelopeFrom: string;
	envelopeTo: string[];
	subject: string;
	text: string;
	file: string;
}

export function readMail( folder: string ): CapturedMail[] {
	if ( ! fs.existsSync( folder ) ) {
		return [];
	}
	return fs
		.readdirSync( folder )
		.filter( ( name ) => name.endsWith( '.json' ) )
		.sort()
		.map(
			( name ) =>
				JSON.parse(
					fs.readFileSync( path.join( folder, name ), 'utf8' )
				) as CapturedMail
		);
}

export function mailTo( folder: string, address: string ): CapturedMail[] {
	const wanted = address.toLowerCase();
	return readMail( folder ).filter( ( mail ) =>
		mail.envelopeTo.some( ( to ) => to.toLowerCase() === wanted )
	);
}
