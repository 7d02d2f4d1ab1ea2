import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors';
import { parseForm, type FormBody } from './form';

const MAX_BODY_BYTES = 1024 * 1024;

async function readRaw( req: IncomingMessage ): Promise< string > {
	const chunks: Buffer[] = [];
	let size = 0;
	for await ( const chunk of req ) {
		const buffer = chunk as Buffer;
		size += buffer.length;
		if ( size > MAX_BODY_BYTES ) {
			throw new HttpError( 413, { error: 'Request body too large.' } );
		}
		chunks.push( buffer );
	}
	return Buffer.concat( chunks ).toString( 'utf8' );
}

function mediaType( req: IncomingMessage ): string {
	return ( req.headers[ 'content-type' ] ?? '' )
		.split( ';' )[ 0 ]!
		.trim()
		.toLowerCase();
}

/** The CRM API only takes form-encoded bodies, like the real one; anything else is a client bug. */
export async function readFormBody(
	req: IncomingMessage
): Promise< FormBody > {
	const raw = await readRaw( req );
	if ( raw === '' ) {
		return {};
	}
	if ( mediaType( req ) !== 'application/x-www-form-urlencoded' ) {
		throw new HttpError( 415, {
			error: 'The request body must be application/x-www-form-urlencoded.',
		} );
	}
	return parseForm( raw );
}

/** The control API speaks JSON; an empty body counts as `{}`. */
export async function readJsonBody(
	req: IncomingMessage
): Promise< Record< string, unknown > > {
	const raw = await readRaw( req );
	if ( raw.trim() === '' ) {
		return {};
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse( raw );
	} catch {
		throw new HttpError( 400, {
			error: 'The request body is not valid JSON.',
		} );
	}
	if (
		typeof parsed !== 'object' ||
		parsed === null ||
		Array.isArray( parsed )
	) {
		throw new HttpError( 400, {
			error: 'The request body must be a JSON object.',
		} );
	}
	return parsed as Record< string, unknown >;
}
