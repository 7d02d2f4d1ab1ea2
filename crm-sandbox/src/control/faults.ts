import { HttpError } from '../http/errors';

/**
 * A fault injected through the control API. `path_pattern` is matched against the whole request
 * path; `*` stands for any run of characters (`/api/v1/contacts/*` matches `/api/v1/contacts/7/tags`).
 */
export interface FaultRule {
	id: number;
	path_pattern: string;
	method?: string;
	status?: number;
	retry_after?: number;
	delay_ms?: number;
	drop?: boolean;
	/** How many matching requests this fault still hits; absent = every one. */
	times?: number;
	/** Let this many matching requests through first (fail "the second page"). */
	skip?: number;
	probability?: number;
}

export type FaultInput = Omit< FaultRule, 'id' >;

function globToRegExp( pattern: string ): RegExp {
	const escaped = pattern
		.split( '*' )
		.map( ( part ) => part.replace( /[.+?^${}()|[\]\\]/g, '\\$&' ) );
	return new RegExp( `^${ escaped.join( '.*' ) }$` );
}

function optionalNumber(
	input: Record< string, unknown >,
	key: string,
	min: number,
	max: number
): number | undefined {
	const value = input[ key ];
	if ( value === undefined ) {
		return undefined;
	}
	if (
		typeof value !== 'number' ||
		! Number.isFinite( value ) ||
		value < min ||
		value > max
	) {
		throw new HttpError( 400, {
			error: `${ key } must be a number between ${ min } and ${ max }.`,
		} );
	}
	return value;
}

export function parseFaultInput(
	input: Record< string, unknown >
): FaultInput {
	const pattern = input.path_pattern;
	if ( typeof pattern !== 'string' || ! pattern.startsWith( '/' ) ) {
		throw new HttpError( 400, {
			error: 'path_pattern must be a path starting with "/".',
		} );
	}
	const method = input.method;
	if ( method !== undefined && typeof method !== 'string' ) {
		throw new HttpError( 400, { error: 'method must be a string.' } );
	}
	const drop = input.drop;
	if ( drop !== undefined && typeof drop !== 'boolean' ) {
		throw new HttpError( 400, { error: 'drop must be a boolean.' } );
	}
	const fault: FaultInput = {
		path_pattern: pattern,
		method: method?.toUpperCase(),
		status: optionalNumber( input, 'status', 400, 599 ),
		retry_after: optionalNumber( input, 'retry_after', 0, 86400 ),
		delay_ms: optionalNumber( input, 'delay_ms', 0, 600000 ),
		drop,
		times: optionalNumber( input, 'times', 1, 1e9 ),
		skip: optionalNumber( input, 'skip', 0, 1e9 ),
		probability: optionalNumber( input, 'probability', 0, 1 ),
	};
	if (
		fault.status === undefined &&
		! fault.drop &&
		fault.delay_ms === undefined
	) {
		throw new HttpError( 400, {
			error: 'A fault needs status, drop or delay_ms.',
		} );
	}
	return fault;
}

/** The injected faults and the global latency, consulted for every request outside `/__sandbox/`. */
export class FaultInjector {
	private rules: Array< FaultRule & { regexp: RegExp } > = [];
	private nextId = 1;
	latencyMs = 0;

	add( input: FaultInput ): FaultRule {
		const rule = { ...input, id: this.nextId++ };
		this.rules.push( {
			...rule,
			regexp: globToRegExp( rule.path_pattern ),
		} );
		return rule;
	}

	list(): FaultRule[] {
		return this.rules.map( ( { regexp: _regexp, ...rule } ) => rule );
	}

	clear(): void {
		this.rules = [];
		this.latencyMs = 0;
	}

	/** The first fault that hits this request, counting down its `times`. */
	take( method: string, pathname: string ): FaultRule | null {
		for ( const rule of this.rules ) {
			if ( rule.method !== undefined && rule.method !== method ) {
				continue;
			}
			if ( ! rule.regexp.test( pathname ) ) {
				continue;
			}
			if ( rule.skip ) {
				rule.skip -= 1;
				continue;
			}
			if (
				rule.probability !== undefined &&
				Math.random() >= rule.probability
			) {
				continue;
			}
			if ( rule.times !== undefined ) {
				rule.times -= 1;
				if ( rule.times <= 0 ) {
					this.rules = this.rules.filter(
						( other ) => other !== rule
					);
				}
			}
			const { regexp: _regexp, ...fault } = rule;
			return fault;
		}
		return null;
	}
}

/** What a faulted request answers; Laravel's own bodies for 429 and 5xx. */
export function faultResponse( fault: FaultRule ): {
	status: number;
	body: Record< string, unknown >;
	headers: Record< string, string >;
} | null {
	if ( fault.status === undefined ) {
		return null;
	}
	const headers: Record< string, string > = {};
	if ( fault.retry_after !== undefined ) {
		headers[ 'retry-after' ] = String( fault.retry_after );
	}
	return {
		status: fault.status,
		body: { message: faultMessage( fault.status ) },
		headers,
	};
}

/** The messages the real CRM (Laravel) puts in these answers. */
function faultMessage( status: number ): string {
	if ( status === 429 ) {
		return 'Too Many Attempts.';
	}
	return status >= 500 ? 'Server Error' : 'Injected fault';
}
