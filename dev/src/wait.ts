/**
 * Polling helpers for services that take a moment to come up.
 */
const sleep = ( ms: number ) =>
	new Promise( ( resolve ) => setTimeout( resolve, ms ) );

export async function waitUntil(
	what: string,
	check: () => Promise< boolean > | boolean,
	timeoutMs = 30000
): Promise< void > {
	const deadline = Date.now() + timeoutMs;
	while ( Date.now() < deadline ) {
		if ( await check() ) {
			return;
		}
		await sleep( 150 );
	}
	throw new Error(
		`timed out after ${ timeoutMs } ms waiting for ${ what }`
	);
}

/**
 * True when the URL answers at all (any HTTP status counts: the server is up).
 */
export async function answers( url: string ): Promise< boolean > {
	try {
		await fetch( url, {
			signal: AbortSignal.timeout( 2000 ),
			redirect: 'manual',
		} );
		return true;
	} catch {
		return false;
	}
}
