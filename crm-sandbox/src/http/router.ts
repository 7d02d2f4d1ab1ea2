import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	params: Record< string, string >;
}

export type Handler = ( ctx: RequestContext ) => Promise< void > | void;

interface Route {
	method: string;
	/** The pattern as written (`/api/v1/contacts/:id`), also the endpoint name in counters. */
	pattern: string;
	segments: string[];
	handler: Handler;
}

export interface RouteMatch {
	route: { method: string; pattern: string; handler: Handler };
	params: Record< string, string >;
}

/** Trailing slashes do not matter (`contact/find/` and `contact/find` are one route). */
function splitPath( path: string ): string[] {
	return path.split( '/' ).filter( ( segment ) => segment !== '' );
}

export class Router {
	private readonly routes: Route[] = [];

	add( method: string, pattern: string, handler: Handler ): this {
		this.routes.push( {
			method,
			pattern,
			segments: splitPath( pattern ),
			handler,
		} );
		return this;
	}

	match( method: string, pathname: string ): RouteMatch | null {
		let segments: string[];
		try {
			segments = splitPath( pathname ).map( ( segment ) =>
				decodeURIComponent( segment )
			);
		} catch {
			return null;
		}
		for ( const route of this.routes ) {
			if (
				route.method !== method ||
				route.segments.length !== segments.length
			) {
				continue;
			}
			const params = matchSegments( route.segments, segments );
			if ( params ) {
				return { route, params };
			}
		}
		return null;
	}

	/** Whether any method serves this path, to tell 405 from 404. */
	hasPath( pathname: string ): boolean {
		const methods = new Set( this.routes.map( ( route ) => route.method ) );
		return [ ...methods ].some(
			( method ) => this.match( method, pathname ) !== null
		);
	}
}

function matchSegments(
	pattern: string[],
	actual: string[]
): Record< string, string > | null {
	const params: Record< string, string > = {};
	for ( let i = 0; i < pattern.length; i++ ) {
		const expected = pattern[ i ] as string;
		const value = actual[ i ] as string;
		if ( expected.startsWith( ':' ) ) {
			params[ expected.slice( 1 ) ] = value;
		} else if ( expected !== value ) {
			return null;
		}
	}
	return params;
}
