import { parseJson } from '@pulse-sync/contracts';
import http from 'node:http';
import { HttpError } from '../errors';
import type { Logger } from '../log';
import type { SharedReplays } from '../replay-guard';
import type { SettingsSource } from '../settings';
import { SignatureError, TOLERANCE_SECONDS } from '../signature';
import type { RequestSigner } from '../site-link';
import { LEGACY_SITE_ID, routeToSite } from '../sites/registry';
import { matchRoute, type Reply, type Route } from './route';

// Plugin requests are a few hundred bytes; anything near this is not from the plugin.
export const MAX_BODY_BYTES = 64 * 1024;
const SETTINGS_REV_HEADER = 'x-pulse-sync-settings-rev';
// The plugin sends its headers at once; a client that trickles them is holding a socket.
export const HEADERS_TIMEOUT_MS = 10_000;
// Time to receive a whole request (at most 64 KB), not to answer it: a delivery may wait for its
// job up to 20 s after it arrived, which this does not count.
export const REQUEST_TIMEOUT_MS = 30_000;
// Each connection is a PHP worker of the site waiting (a waiting slot, a spool hand-over, a panel
// screen): a site has tens, not hundreds. Beyond this, connections are refused and the plugin
// spools; Node's default has no cap.
export const MAX_CONNECTIONS = 256;

/** What serves one site: its routes, and its secrets, settings cache and replay ids. */
export interface SiteFront {
	routes: readonly Route[];
	signer: Pick< RequestSigner, 'checkHeaders' | 'verify' >;
	settings: Pick< SettingsSource, 'noteRev' >;
	/** The ids seen by every bridge on a shared database; absent for one bridge (SQLite). */
	replays?: SharedReplays;
}

/** The top-level site's front (unprefixed paths), and the other sites' by id. */
export interface ServerDeps extends SiteFront {
	/** The front of the site served under `/sites/<id>/`; undefined: no such site. */
	site?: ( id: string ) => SiteFront | undefined;
	logger: Logger;
	shutdown: AbortSignal;
}

// An id verified now carries a timestamp within the tolerance of now, so it is stale anyway
// once this long has passed.
const SHARED_REPLAY_MS = ( 2 * TOLERANCE_SECONDS + 1 ) * 1000;

/**
 * The bridge's HTTP front: timeouts and a connection cap, routing, the signature's headers
 * checked before the body is read, body limit, the signature over method, path, query and body
 * checked before the body is parsed, JSON parsing, and errors as `{"error","message"}` with
 * their status.
 * @param deps Routes, signer, settings cache, logger and shutdown signal.
 */
export function createHttpServer( deps: ServerDeps ): http.Server {
	const server = http.createServer(
		{
			headersTimeout: HEADERS_TIMEOUT_MS,
			requestTimeout: REQUEST_TIMEOUT_MS,
		},
		( request, response ) => {
			const startedAt = Date.now();
			handle( request, deps )
				.catch( ( error: unknown ) => errorReply( error, deps.logger ) )
				.then( ( reply ) => {
					send( request, response, reply );
					deps.logger.log( 'info', 'http.request', {
						method: request.method,
						path: new URL( request.url ?? '/', 'http://bridge' )
							.pathname,
						status: reply.status,
						duration_ms: Date.now() - startedAt,
					} );
				} );
		}
	);
	server.maxConnections = MAX_CONNECTIONS;
	return server;
}

async function handle(
	request: http.IncomingMessage,
	deps: ServerDeps
): Promise< Reply > {
	const url = new URL( request.url ?? '/', 'http://bridge' );
	const target = routeToSite( url.pathname );
	const front =
		target === null ? undefined : siteFront( deps, target.siteId );
	if ( target === null || front === undefined ) {
		throw new HttpError(
			404,
			'unknown_site',
			'No site is paired at this path; pair it with `pulse-sync-bridge pair`.'
		);
	}
	// Routes, signature and replay ids are the addressed site's: a request signed with another
	// site's secret fails here (its prefix is not part of what the plugin signs).
	const { match, allowed } = matchRoute(
		front.routes,
		request.method ?? 'GET',
		target.path
	);
	if ( match === null ) {
		if ( allowed.length > 0 ) {
			throw new HttpError(
				405,
				'method_not_allowed',
				`Use ${ allowed.join( ' or ' ) } for ${ target.path }.`
			);
		}
		throw new HttpError( 404, 'not_found', `No route ${ target.path }.` );
	}
	if ( match.route.signed && deps.shutdown.aborted ) {
		// Stopping: no new work is taken; the plugin keeps the delivery and sends it again.
		throw new HttpError(
			503,
			'bridge_stopping',
			'The bridge is stopping; send this again in a moment.'
		);
	}
	if ( match.route.signed ) {
		front.signer.checkHeaders( request.headers );
	}
	const text = decodeUtf8( await readBody( request ) );
	if ( match.route.signed ) {
		const id = front.signer.verify(
			{
				method: request.method ?? 'GET',
				path: target.path,
				query: url.searchParams,
				body: text,
			},
			request.headers
		);
		const now = Date.now();
		if (
			front.replays &&
			! ( await front.replays.claim( id, now + SHARED_REPLAY_MS, now ) )
		) {
			throw new SignatureError( 'this webhook-id was already used' );
		}
		const rev = request.headers[ SETTINGS_REV_HEADER ];
		front.settings.noteRev( typeof rev === 'string' ? rev : undefined );
	}
	return match.route.handle( {
		params: match.params,
		query: url.searchParams,
		body: requestBody( text ),
		shutdown: deps.shutdown,
	} );
}

/**
 * The front of the addressed site: the top-level one's, or a registry site's.
 * @param deps   The server's dependencies.
 * @param siteId The site the path addresses.
 */
function siteFront( deps: ServerDeps, siteId: string ): SiteFront | undefined {
	return siteId === LEGACY_SITE_ID ? deps : deps.site?.( siteId );
}

function readBody( request: http.IncomingMessage ): Promise< Buffer > {
	if ( Number( request.headers[ 'content-length' ] ) > MAX_BODY_BYTES ) {
		return Promise.reject( bodyTooLarge() );
	}
	return new Promise( ( resolve, reject ) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on( 'data', ( chunk: Buffer ) => {
			size += chunk.length;
			if ( size > MAX_BODY_BYTES ) {
				// Stop buffering but keep draining, so the 413 can still be written.
				request.removeAllListeners( 'data' );
				request.resume();
				reject( bodyTooLarge() );
				return;
			}
			chunks.push( chunk );
		} );
		request.on( 'end', () => resolve( Buffer.concat( chunks ) ) );
		request.on( 'error', reject );
	} );
}

function bodyTooLarge(): HttpError {
	return new HttpError(
		413,
		'body_too_large',
		`Request bodies are limited to ${ MAX_BODY_BYTES } bytes.`
	);
}

function decodeUtf8( bytes: Buffer ): string {
	try {
		return new TextDecoder( 'utf-8', { fatal: true } ).decode( bytes );
	} catch {
		throw new HttpError(
			400,
			'invalid_utf8',
			'The request body is not valid UTF-8.'
		);
	}
}

/**
 * The JSON body, undefined for none (a route that needs one says so); not JSON is a 400.
 * @param text The body as text.
 */
function requestBody( text: string ): unknown {
	const parsed = parseJson( text );
	if ( ! parsed.ok ) {
		throw new HttpError(
			400,
			'invalid_json',
			'The request body is not valid JSON.'
		);
	}
	return parsed.value;
}

function errorReply( error: unknown, logger: Logger ): Reply {
	if ( error instanceof HttpError ) {
		return {
			status: error.status,
			body: { error: error.code, message: error.message },
		};
	}
	logger.log( 'error', 'http.internal_error', { error } );
	return {
		status: 500,
		body: {
			error: 'internal_error',
			message: 'The bridge failed to handle this request; see its log.',
		},
	};
}

function send(
	request: http.IncomingMessage,
	response: http.ServerResponse,
	reply: Reply
): void {
	if ( response.destroyed ) {
		return;
	}
	const body = JSON.stringify( reply.body );
	response.writeHead( reply.status, {
		'content-type': 'application/json; charset=utf-8',
		'cache-control': 'no-store',
		'content-length': Buffer.byteLength( body ),
		// Refused before its body was read: close rather than read the rest of it.
		...( ! request.complete && { connection: 'close' } ),
	} );
	response.end( body );
}
