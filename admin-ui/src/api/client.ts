import apiFetch from '@wordpress/api-fetch';
import { __ } from '@wordpress/i18n';
import { WordPressErrorBody } from '@pulse-sync/contracts';

import { adminConfig } from '../config';

/**
 * A failed call to one of the plugin's REST routes. `status` is the HTTP status when the server
 * answered (WordPress puts it in `data.status`), undefined for a network failure.
 */
export class RestError extends Error {
	readonly status: number | undefined;
	readonly code: string;

	constructor( message: string, code: string, status?: number ) {
		super( message );
		this.name = 'RestError';
		this.code = code;
		this.status = status;
	}
}

export type QueryValue = string | number | boolean | undefined;

export interface RestRequest {
	path: string;
	method?: 'GET' | 'POST' | 'DELETE';
	data?: unknown;
	query?: Record< string, QueryValue >;
}

/**
 * api-fetch rejects with the parsed error body (`{code, message, data: {status}}`) or a fetch error.
 * @param reason Whatever api-fetch rejected with.
 */
export function toRestError( reason: unknown ): RestError {
	if ( reason instanceof RestError ) {
		return reason;
	}
	const body = WordPressErrorBody.parse( reason );
	return new RestError(
		body.message ?? body.error ?? __( 'The request failed.', 'pulse-sync' ),
		body.code ?? body.error ?? 'unknown',
		body.data.status ?? undefined
	);
}

export function buildPath(
	path: string,
	query: Record< string, QueryValue > = {}
): string {
	const params = new URLSearchParams();
	for ( const [ key, value ] of Object.entries( query ) ) {
		if ( value !== undefined && value !== '' ) {
			params.append( key, String( value ) );
		}
	}
	const queryString = params.toString();
	const fullPath = `/${ adminConfig().restNamespace }${ path }`;
	return queryString === '' ? fullPath : `${ fullPath }?${ queryString }`;
}

/**
 * Calls a route of the plugin's namespace; api-fetch adds the REST nonce.
 * @param request Route (without the namespace), method, body and query.
 */
export async function restRequest< T >( request: RestRequest ): Promise< T > {
	try {
		return await apiFetch< T >( {
			path: buildPath( request.path, request.query ),
			method: request.method ?? 'GET',
			...( request.data === undefined ? {} : { data: request.data } ),
		} );
	} catch ( reason ) {
		throw toRestError( reason );
	}
}

export function errorMessage( error: unknown ): string {
	return toRestError( error ).message;
}
