import { Signer } from '../../src/signature';

export interface BridgeAnswer {
	status: number;
	json: any;
}

/**
 * Calls the bridge the way the plugin does: signed, JSON, with the settings revision.
 * @param baseUrl The bridge's base URL.
 * @param secret  The shared whsec_ secret.
 * @param rev     Settings revision to send with each request.
 */
export function bridgeCaller(
	baseUrl: string,
	secret: string,
	rev: () => string = () => '1'
) {
	const signer = new Signer( secret );
	return async (
		method: 'GET' | 'POST',
		path: string,
		body?: unknown
	): Promise< BridgeAnswer > => {
		const text = body === undefined ? '' : JSON.stringify( body );
		const response = await fetch( `${ baseUrl }${ path }`, {
			method,
			headers: {
				...signer.sign( text ),
				'content-type': 'application/json',
				'x-pulse-sync-settings-rev': rev(),
			},
			...( method === 'POST' && { body: text } ),
		} );
		return { status: response.status, json: await response.json() };
	};
}
