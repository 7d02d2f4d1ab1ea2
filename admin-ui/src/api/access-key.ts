import { restRequest } from './client';

export interface AccessKey {
	access_key: string;
	/** The server's verdict: fewer than 128 bits, e.g. a key pasted from the reference plugin. */
	weak: boolean;
}

export function fetchAccessKey(): Promise< AccessKey > {
	return restRequest< AccessKey >( { path: '/access-key' } );
}

export function regenerateAccessKey(): Promise< AccessKey > {
	return restRequest< AccessKey >( {
		path: '/access-key',
		method: 'POST',
		data: { regenerate: true },
	} );
}

export function replaceAccessKey( key: string ): Promise< AccessKey > {
	return restRequest< AccessKey >( {
		path: '/access-key',
		method: 'POST',
		data: { key },
	} );
}
