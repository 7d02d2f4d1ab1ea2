import type { ServerResponse } from 'node:http';
import { readFormBody } from '../http/body';
import type { FormBody } from '../http/form';
import { redirect, sendHtml, sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { SandboxState } from '../state';
import { html, page } from '../ui/html';
import { OAuthError, type GrantStore } from './grants';

/** Adds query parameters to a redirect URI that may already have a query string. */
export function withQuery(
	uri: string,
	params: Record< string, string >
): string {
	const url = new URL( uri );
	for ( const [ key, value ] of Object.entries( params ) ) {
		url.searchParams.set( key, value );
	}
	return url.toString();
}

function field( body: FormBody, key: string ): string {
	const value = body[ key ];
	return typeof value === 'string' ? value : '';
}

function sendOAuthError( res: ServerResponse, error: OAuthError ): void {
	sendJson( res, error.status, {
		error: error.error,
		error_description: error.description,
	} );
}

function sendAuthorizeError( res: ServerResponse, message: string ): void {
	sendHtml(
		res,
		400,
		page( 'Authorization failed', html`<p class="error">${ message }</p>`, {
			nav: false,
		} )
	);
}

/** Why an authorization request cannot be shown or granted, or null when it is fine. */
function authorizationRequestProblem(
	grants: GrantStore,
	clientId: string,
	redirectUri: string
): string | null {
	try {
		grants.assertAuthorizationRequest( clientId, redirectUri );
		return null;
	} catch ( error ) {
		if ( error instanceof OAuthError ) {
			return error.description;
		}
		throw error;
	}
}

/** The portal: the consent page a site owner sees, and the token endpoint (Laravel Passport paths). */
export function registerOAuthRoutes(
	router: Router,
	state: SandboxState
): void {
	const grants = state.grants;

	router.add( 'GET', '/oauth/authorize', ( { res, url } ) => {
		const query = Object.fromEntries( url.searchParams );
		const clientId = query.client_id ?? '';
		const redirectUri = query.redirect_uri ?? '';
		if ( query.response_type !== 'code' ) {
			return sendAuthorizeError( res, 'response_type must be "code".' );
		}
		const problem = authorizationRequestProblem(
			grants,
			clientId,
			redirectUri
		);
		if ( problem ) {
			return sendAuthorizeError( res, problem );
		}
		const hidden = ( name: string, value: string ) =>
			html`<input type="hidden" name="${ name }" value="${ value }" />`;
		const body = html` <p>
				<strong>${ clientId }</strong> is requesting permission to
				access your PulseTechnologyCRM account (contacts, tags and
				fields).
			</p>
			<p>
				After you decide, you will be sent back to
				<code>${ redirectUri }</code>.
			</p>
			<form method="post" action="/oauth/authorize">
				${ hidden( 'client_id', clientId ) }${ hidden( 'redirect_uri', redirectUri ) }${ hidden( 'state', query.state ?? '' ) }
				<button type="submit" name="decision" value="approve">
					Authorize
				</button>
				<button type="submit" name="decision" value="deny">
					Cancel
				</button>
			</form>`;
		sendHtml(
			res,
			200,
			page( 'Authorization Request', body, { nav: false } )
		);
	} );

	router.add( 'POST', '/oauth/authorize', async ( { req, res } ) => {
		const body = await readFormBody( req );
		const clientId = field( body, 'client_id' );
		const redirectUri = field( body, 'redirect_uri' );
		const problem = authorizationRequestProblem(
			grants,
			clientId,
			redirectUri
		);
		if ( problem ) {
			return sendAuthorizeError( res, problem );
		}
		const stateParam = field( body, 'state' );
		if ( field( body, 'decision' ) !== 'approve' ) {
			return redirect(
				res,
				withQuery( redirectUri, {
					error: 'access_denied',
					state: stateParam,
				} )
			);
		}
		redirect(
			res,
			withQuery( redirectUri, {
				code: grants.issueCode( clientId, redirectUri ),
				state: stateParam,
			} )
		);
	} );

	router.add( 'POST', '/oauth/token', async ( { req, res } ) => {
		const body = await readFormBody( req );
		const grantType = field( body, 'grant_type' );
		const clientId = field( body, 'client_id' );
		const clientSecret = field( body, 'client_secret' );
		try {
			if ( grantType === 'authorization_code' ) {
				const code = field( body, 'code' );
				const redirectUri = field( body, 'redirect_uri' );
				if ( ! code || ! redirectUri ) {
					throw new OAuthError(
						400,
						'invalid_request',
						'The code and redirect_uri parameters are required.'
					);
				}
				return sendJson(
					res,
					200,
					grants.exchangeCode(
						clientId,
						clientSecret,
						code,
						redirectUri
					)
				);
			}
			if ( grantType === 'refresh_token' ) {
				const refreshToken = field( body, 'refresh_token' );
				if ( ! refreshToken ) {
					throw new OAuthError(
						400,
						'invalid_request',
						'The refresh_token parameter is required.'
					);
				}
				return sendJson(
					res,
					200,
					grants.refresh( clientId, clientSecret, refreshToken )
				);
			}
			throw new OAuthError(
				400,
				'unsupported_grant_type',
				'The authorization grant type is not supported.'
			);
		} catch ( error ) {
			if ( error instanceof OAuthError ) {
				return sendOAuthError( res, error );
			}
			throw error;
		}
	} );
}
