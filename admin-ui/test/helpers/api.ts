import apiFetch from '@wordpress/api-fetch';

/**
 * Routes for the mocked `@wordpress/api-fetch` (each test file calls `jest.mock` itself, which
 * jest hoists). Keys are "METHOD /full/path?query"; a value is the answer, or a function of the
 * request options that returns it (or a rejected promise, for REST errors).
 */
export type Handler = unknown | ( ( options: ApiRequest ) => unknown );

export interface ApiRequest {
	path: string;
	method?: string;
	data?: unknown;
}

export const apiFetchMock = apiFetch as unknown as jest.Mock<
	Promise< unknown >,
	[ ApiRequest ]
>;

export function routeApi( routes: Record< string, Handler > ): void {
	apiFetchMock.mockImplementation( async ( options: ApiRequest ) => {
		const key = `${ options.method ?? 'GET' } ${ options.path }`;
		if ( ! ( key in routes ) ) {
			throw restError( `No mocked route for ${ key }`, 404 );
		}
		const handler = routes[ key ];
		return typeof handler === 'function' ? handler( options ) : handler;
	} );
}

/**
 * The body WordPress answers with for a WP_Error, as api-fetch rejects with it.
 * @param message
 * @param status
 */
export function restError( message: string, status: number ) {
	return { code: 'pulse_sync_error', message, data: { status } };
}

export function rejectWith( message: string, status: number ) {
	return () => Promise.reject( restError( message, status ) );
}

/**
 * The requests sent to one route, e.g. `requestsTo( 'POST', '/pulse-sync/v1/settings' )`.
 * @param method
 * @param path
 */
export function requestsTo( method: string, path: string ): ApiRequest[] {
	return apiFetchMock.mock.calls
		.map( ( [ options ] ) => options )
		.filter(
			( options ) =>
				( options.method ?? 'GET' ) === method && options.path === path
		);
}
