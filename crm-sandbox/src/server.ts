import {
	createServer,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { bearerToken } from './api/auth';
import { API_PREFIX, registerApiRoutes } from './api/routes';
import { faultResponse } from './control/faults';
import { CONTROL_PREFIX, registerControlRoutes } from './control/routes';
import { HttpError } from './http/errors';
import { sendHtml, sendJson } from './http/respond';
import { Router } from './http/router';
import { registerOAuthRoutes } from './oauth/routes';
import type { SandboxState } from './state';
import { registerContactPages } from './ui/contacts';
import { html, page } from './ui/html';
import { registerWebhookPages } from './ui/webhooks';

export function buildRouter( state: SandboxState ): Router {
	const router = new Router();
	registerApiRoutes( router, state );
	registerOAuthRoutes( router, state );
	registerContactPages( router, state );
	registerWebhookPages( router, state );
	registerControlRoutes( router, state );
	return router;
}

function isUiPath( pathname: string ): boolean {
	return pathname === '/crm' || pathname.startsWith( '/crm/' );
}

function sendError(
	res: ServerResponse,
	pathname: string,
	error: HttpError
): void {
	if ( isUiPath( pathname ) ) {
		const message =
			typeof error.body.error === 'string'
				? error.body.error
				: error.message;
		sendHtml(
			res,
			error.status,
			page(
				'Error',
				html`<p class="error">${ message }</p>
					<p><a href="/crm/contacts">Back to contacts</a></p>`
			)
		);
		return;
	}
	sendJson( res, error.status, error.body, error.headers );
}

/**
 * The HTTP server: routes every request, and for everything outside the control API records it in
 * the request log and applies injected faults, the rate limit and latency first.
 */
export function createSandboxServer(
	state: SandboxState,
	onMutation: () => void = () => {}
): Server {
	const router = buildRouter( state );
	const socketIds = new WeakMap< Socket, number >();
	let nextSocketId = 1;

	const handle = async (
		req: IncomingMessage,
		res: ServerResponse
	): Promise< void > => {
		const method = req.method ?? 'GET';
		const url = new URL( req.url ?? '/', 'http://sandbox.invalid' );
		const match = router.match( method, url.pathname );

		if ( ! url.pathname.startsWith( `${ CONTROL_PREFIX }/` ) ) {
			let connection = socketIds.get( req.socket );
			if ( connection === undefined ) {
				connection = nextSocketId++;
				socketIds.set( req.socket, connection );
			}
			const started = Date.now();
			const entry = state.requests.begin( {
				time: new Date( started ).toISOString(),
				method,
				path: url.pathname,
				endpoint: `${ method } ${ match?.route.pattern ?? '(unmatched)' }`,
				connection,
			} );
			res.on( 'close', () => {
				entry.status = res.headersSent ? res.statusCode : null;
				entry.duration_ms = Date.now() - started;
			} );

			const fault = state.faults.take( method, url.pathname );
			if ( fault ) {
				entry.fault_id = fault.id;
				if ( fault.delay_ms ) {
					await sleep( fault.delay_ms );
				}
				if ( fault.drop ) {
					req.socket.destroy();
					return;
				}
				const answer = faultResponse( fault );
				if ( answer ) {
					sendJson( res, answer.status, answer.body, answer.headers );
					return;
				}
			}
			const token = url.pathname.startsWith( `${ API_PREFIX }/` )
				? bearerToken( req )
				: null;
			const decision =
				token === null ? null : state.rateLimit.take( token );
			if ( decision?.allowed === false ) {
				sendJson(
					res,
					429,
					{ message: 'Too Many Attempts.' },
					{ 'retry-after': String( decision.retryAfterS ) }
				);
				return;
			}
			if (
				state.faults.latencyMs > 0 &&
				url.pathname.startsWith( `${ API_PREFIX }/` )
			) {
				await sleep( state.faults.latencyMs );
			}
		}

		if ( ! match ) {
			const status = router.hasPath( url.pathname ) ? 405 : 404;
			throw new HttpError( status, {
				error: status === 405 ? 'Method not allowed.' : 'Not found.',
			} );
		}
		await match.route.handler( { req, res, url, params: match.params } );
		if ( method !== 'GET' ) {
			onMutation();
		}
	};

	return createServer( ( req, res ) => {
		handle( req, res ).catch( ( error: unknown ) => {
			if ( res.headersSent || res.destroyed ) {
				res.destroy();
				return;
			}
			if ( error instanceof HttpError ) {
				sendError(
					res,
					new URL( req.url ?? '/', 'http://sandbox.invalid' )
						.pathname,
					error
				);
				return;
			}
			console.error( 'crm-sandbox: unexpected error', error );
			sendJson( res, 500, { message: 'Server Error' } );
		} );
	} );
}
