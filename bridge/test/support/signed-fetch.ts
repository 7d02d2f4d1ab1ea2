import { canonicalQuery } from '../../src/signed-content';
import { Signer } from '../../src/signature';

export interface BridgeAnswer {
	status: number;
	json: any;
}

/**
 * Calls the bridge the way the plugin does: signed (method, path, query and body), JSON, with
 * the settings revision.
 * @param baseUrl The bridge's base URL.
 * @param secret  The shared whsec_ secret, or the list of them (current first).
 * @param rev     Settings revision to send with each request.
 */
export function bridgeCaller(
	baseUrl: string,
	secret: string | string[],
	rev: () => string = () => '1'
) {
	const signer = new Signer(
		typeof secret === 'string' ? [ secret ] : secret,
		'plugin'
	);
	return async (
		method: 'GET' | 'POST',
		pathAndQuery: string,
		body?: unknown
	): Promise< BridgeAnswer > => {
		const text = body === undefined ? '' : JSON.stringify( body );
		const target = new URL( pathAndQuery, 'http://bridge' );
		const query = canonicalQuery( target.searchParams );
		const response = await fetch(
			`${ baseUrl }${ target.pathname }${ query ? `?${ query }` : '' }`,
			{
				method,
				headers: {
					...signer.sign( {
						method,
						path: target.pathname,
						query: target.searchParams,
						body: text,
					} ),
					'content-type': 'application/json',
					'x-pulse-sync-settings-rev': rev(),
				},
				...( method === 'POST' && { body: text } ),
			}
		);
		return { status: response.status, json: await response.json() };
	};
}
