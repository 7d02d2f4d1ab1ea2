import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	DEMO_CLIENT,
	startSandbox,
	type RunningSandbox,
	type SandboxOptions,
} from '../src';

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

export interface TestSandbox extends RunningSandbox {
	/** A JSON call to the control API. */
	control: (
		method: string,
		path: string,
		body?: unknown
	) => Promise< { status: number; body: any } >;
	/** Runs the code grant without a browser and returns the token answer. */
	connect: () => Promise< {
		access_token: string;
		refresh_token: string;
		expires_in: number;
	} >;
	/** An API call; `form` is sent form-encoded as is. */
	api: (
		method: string,
		path: string,
		options?: {
			token?: string;
			form?: string;
			headers?: Record< string, string >;
		}
	) => Promise< { status: number; body: any; headers: Headers } >;
	token: (
		form: Record< string, string >
	) => Promise< { status: number; body: any } >;
}

export async function startTestSandbox(
	options: SandboxOptions = {}
): Promise< TestSandbox > {
	const sandbox = await startSandbox( {
		port: 0,
		host: '127.0.0.1',
		...options,
	} );
	const json = async ( response: Response ) => {
		const text = await response.text();
		return text === '' ? null : JSON.parse( text );
	};
	const helpers: TestSandbox = {
		...sandbox,
		async control( method, path, body ) {
			const response = await fetch(
				`${ sandbox.url }/__sandbox/${ path }`,
				{
					method,
					headers:
						body === undefined
							? {}
							: { 'content-type': 'application/json' },
					body:
						body === undefined ? undefined : JSON.stringify( body ),
				}
			);
			return { status: response.status, body: await json( response ) };
		},
		async token( form ) {
			const response = await fetch( `${ sandbox.url }/oauth/token`, {
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					accept: 'application/json',
				},
				body: new URLSearchParams( form ).toString(),
			} );
			return { status: response.status, body: await json( response ) };
		},
		async connect() {
			const { body } = await helpers.control( 'POST', 'oauth/code', {
				client_id: DEMO_CLIENT.id,
				redirect_uri: REDIRECT_URI,
			} );
			const answer = await helpers.token( {
				grant_type: 'authorization_code',
				code: body.code,
				client_id: DEMO_CLIENT.id,
				client_secret: DEMO_CLIENT.secret,
				redirect_uri: REDIRECT_URI,
			} );
			if ( answer.status !== 200 ) {
				throw new Error( `connect failed with ${ answer.status }` );
			}
			return answer.body;
		},
		async api( method, path, request = {} ) {
			const headers: Record< string, string > = {
				accept: 'application/json',
				...request.headers,
			};
			if ( request.token ) {
				headers.authorization = `Bearer ${ request.token }`;
			}
			if ( request.form !== undefined && ! headers[ 'content-type' ] ) {
				headers[ 'content-type' ] = 'application/x-www-form-urlencoded';
			}
			const response = await fetch( `${ sandbox.url }/api/v1/${ path }`, {
				method,
				headers,
				body: request.form,
			} );
			return {
				status: response.status,
				body: await json( response ),
				headers: response.headers,
			};
		},
	};
	return helpers;
}

export interface ReceivedRequest {
	method: string;
	url: string;
	contentType: string | undefined;
	body: string;
}

/** A tiny site that records the webhooks it gets and answers with `status` after `delayMs`. */
export interface WebhookReceiver {
	url: string;
	received: ReceivedRequest[];
	maxInFlight: number;
	status: number;
	delayMs: number;
	close: () => Promise< void >;
}

export async function startReceiver(): Promise< WebhookReceiver > {
	let inFlight = 0;
	const receiver: WebhookReceiver = {
		url: '',
		received: [],
		maxInFlight: 0,
		status: 200,
		delayMs: 0,
		close: () =>
			new Promise( ( resolve ) => {
				server.close( () => resolve() );
				server.closeAllConnections();
			} ),
	};
	const readBody = async ( req: IncomingMessage ) => {
		const chunks: Buffer[] = [];
		for await ( const chunk of req ) {
			chunks.push( chunk as Buffer );
		}
		return Buffer.concat( chunks ).toString( 'utf8' );
	};
	const server: Server = createServer( async ( req, res ) => {
		inFlight++;
		receiver.maxInFlight = Math.max( receiver.maxInFlight, inFlight );
		const body = await readBody( req );
		receiver.received.push( {
			method: req.method ?? '',
			url: req.url ?? '',
			contentType: req.headers[ 'content-type' ],
			body,
		} );
		// A sender that gives up (timeout, shutdown) closes the socket: stop waiting then.
		await new Promise< void >( ( resolve ) => {
			const timer = setTimeout( resolve, receiver.delayMs );
			res.on( 'close', () => {
				clearTimeout( timer );
				resolve();
			} );
		} );
		inFlight--;
		if ( res.destroyed ) {
			return;
		}
		res.writeHead( receiver.status, {
			'content-type': 'application/json',
		} );
		res.end( '{"success":true}' );
	} );
	await new Promise< void >( ( resolve ) =>
		server.listen( 0, '127.0.0.1', resolve )
	);
	receiver.url = `http://127.0.0.1:${ ( server.address() as AddressInfo ).port }`;
	return receiver;
}
