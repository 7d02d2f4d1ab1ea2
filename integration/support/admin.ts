/** A logged-in administrator's session on the stack's WordPress, for the panel's REST routes. */
import { stack } from './stack';

export interface AdminSession {
	/** A REST call with the session cookie and the REST nonce, as the panel makes it. */
	rest: (
		method: string,
		route: string,
		body?: unknown
	) => Promise< { status: number; json: any } >;
	/** A wp-admin page request with the cookie; redirects are returned, not followed. */
	page: ( pathAndQuery: string ) => Promise< Response >;
}

/**
 * Logs in through wp-login.php and takes the REST nonce from core's `rest-nonce` AJAX action.
 * @param siteUrl The site: the stack's first unless told (every site has the same administrator).
 */
export async function adminSession(
	siteUrl = stack().siteUrl
): Promise< AdminSession > {
	const info = { ...stack(), siteUrl };
	const jar = new Map< string, string >();
	const remember = ( response: Response ) => {
		for ( const line of response.headers.getSetCookie() ) {
			const [ pair ] = line.split( ';' );
			const [ name, ...value ] = ( pair ?? '' ).split( '=' );
			if ( name ) {
				jar.set( name.trim(), value.join( '=' ) );
			}
		}
	};
	const cookie = () =>
		[ ...jar ]
			.map( ( [ name, value ] ) => `${ name }=${ value }` )
			.join( '; ' );
	jar.set( 'wordpress_test_cookie', 'WP%20Cookie%20check' );
	const login = await fetch( `${ info.siteUrl }/wp-login.php`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			cookie: cookie(),
		},
		body: new URLSearchParams( {
			log: info.adminUser,
			pwd: info.adminPassword,
			'wp-submit': 'Log In',
			testcookie: '1',
		} ).toString(),
	} );
	remember( login );
	if ( login.status !== 302 ) {
		throw new Error(
			`wp-login.php answered ${ login.status }, not a redirect`
		);
	}
	const page = async ( pathAndQuery: string ) => {
		const response = await fetch( `${ info.siteUrl }${ pathAndQuery }`, {
			redirect: 'manual',
			headers: { cookie: cookie() },
		} );
		remember( response );
		return response;
	};
	const nonceAnswer = await page(
		'/wp-admin/admin-ajax.php?action=rest-nonce'
	);
	const nonce = ( await nonceAnswer.text() ).trim();
	if ( nonceAnswer.status !== 200 || ! /^[0-9a-f]{10}$/.test( nonce ) ) {
		throw new Error( `no REST nonce (${ nonceAnswer.status })` );
	}
	return {
		page,
		rest: async ( method, route, body ) => {
			const response = await fetch(
				`${ info.siteUrl }/wp-json/pulse-sync/v1${ route }`,
				{
					method,
					headers: {
						cookie: cookie(),
						'x-wp-nonce': nonce,
						'content-type': 'application/json',
					},
					...( body !== undefined && {
						body: JSON.stringify( body ),
					} ),
				}
			);
			const text = await response.text();
			return {
				status: response.status,
				json: text ? JSON.parse( text ) : null,
			};
		},
	};
}
