/** One route of the bridge's HTTP API (docs/architecture.md, "Plugin → bridge"). */
export interface Route {
	method: 'GET' | 'POST';
	/** Path with `:name` placeholders, e.g. `/v1/deliveries/:id/replay`. */
	path: string;
	/** Only `/v1/health` and `/v1/ready` are unsigned. */
	signed: boolean;
	handle: ( request: RouteRequest ) => Promise< Reply >;
}

export interface RouteRequest {
	params: Record< string, string >;
	query: URLSearchParams;
	/** Parsed JSON body, undefined when the body was empty. */
	body: unknown;
	/** Aborted when the bridge shuts down: long waits end early. */
	shutdown: AbortSignal;
}

export interface Reply {
	status: number;
	body: unknown;
}

export interface RouteMatch {
	route: Route;
	params: Record< string, string >;
}

/**
 * Finds the route for a path; `allowed` lists the methods of a path that exists.
 * @param routes   The route table.
 * @param method   HTTP method of the request.
 * @param pathname URL path of the request, without the query.
 */
export function matchRoute(
	routes: readonly Route[],
	method: string,
	pathname: string
): { match: RouteMatch | null; allowed: string[] } {
	const allowed: string[] = [];
	for ( const route of routes ) {
		const params = matchPath( route.path, pathname );
		if ( params === null ) {
			continue;
		}
		if ( route.method === method ) {
			return { match: { route, params }, allowed };
		}
		allowed.push( route.method );
	}
	return { match: null, allowed };
}

function matchPath(
	pattern: string,
	pathname: string
): Record< string, string > | null {
	const expected = pattern.split( '/' );
	const actual = pathname.split( '/' );
	if ( expected.length !== actual.length ) {
		return null;
	}
	const params: Record< string, string > = {};
	for ( const [ index, part ] of expected.entries() ) {
		const value = actual[ index ] as string;
		if ( part.startsWith( ':' ) ) {
			if ( value === '' ) {
				return null;
			}
			try {
				params[ part.slice( 1 ) ] = decodeURIComponent( value );
			} catch {
				return null;
			}
		} else if ( part !== value ) {
			return null;
		}
	}
	return params;
}
