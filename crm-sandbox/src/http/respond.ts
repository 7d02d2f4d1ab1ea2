import type { ServerResponse } from 'node:http';

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record< string, string > = {}
): void {
	const payload = JSON.stringify( body );
	res.writeHead( status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength( payload ),
		'cache-control': 'no-store',
		...headers,
	} );
	res.end( payload );
}

export function sendHtml(
	res: ServerResponse,
	status: number,
	html: string
): void {
	res.writeHead( status, {
		'content-type': 'text/html; charset=utf-8',
		'content-length': Buffer.byteLength( html ),
		'cache-control': 'no-store',
	} );
	res.end( html );
}

/** 303 so that a browser follows a form POST with a GET. */
export function redirect( res: ServerResponse, location: string ): void {
	res.writeHead( 303, { location, 'content-length': 0 } );
	res.end();
}
