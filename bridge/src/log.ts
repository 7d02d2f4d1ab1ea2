/**
 * Structured logging: one JSON object per line on stdout, every value passed through `redact`
 * first, so no access key, password, token or secret can reach a log line by accident.
 */

export const REDACTED = '[redacted]';

// Key names whose values are secrets wherever they appear (params, settings, CRM answers, errors).
const SECRET_KEY =
	/pass|secret|token|access_key|api_key|authorization|signature|^key$|oauth_code/i;
// Values that are secrets whatever key they sit under.
const SECRET_VALUE = /whsec_[A-Za-z0-9+/=]+|Bearer\s+\S+|access_key=[^&\s"]+/g;
const MAX_DEPTH = 8;

/**
 * A deep copy of `value` with secret keys replaced and secret-looking substrings masked.
 * @param value Anything about to be logged or stored.
 * @param depth Recursion depth, to stop at cycles.
 */
export function redact( value: unknown, depth = 0 ): unknown {
	if ( typeof value === 'string' ) {
		return value.replace(
			SECRET_VALUE,
			( match ) => `${ match.split( /[_=\s]/ )[ 0 ] }…${ REDACTED }`
		);
	}
	if ( value === null || typeof value !== 'object' ) {
		return value;
	}
	if ( depth >= MAX_DEPTH ) {
		return REDACTED;
	}
	if ( value instanceof Error ) {
		return {
			name: value.name,
			message: redact( value.message, depth + 1 ),
		};
	}
	if ( Array.isArray( value ) ) {
		return value.map( ( item ) => redact( item, depth + 1 ) );
	}
	const copy: Record< string, unknown > = {};
	for ( const [ key, item ] of Object.entries( value ) ) {
		copy[ key ] = SECRET_KEY.test( key )
			? REDACTED
			: redact( item, depth + 1 );
	}
	return copy;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogSink = ( line: string ) => void;

export interface Logger {
	log: (
		level: LogLevel,
		event: string,
		data?: Record< string, unknown >
	) => void;
}

export function createLogger(
	sink: LogSink = ( line ) => process.stdout.write( `${ line }\n` )
): Logger {
	return {
		log( level, event, data = {} ) {
			sink(
				JSON.stringify( {
					time: new Date().toISOString(),
					level,
					event,
					...( redact( data ) as Record< string, unknown > ),
				} )
			);
		},
	};
}

/** For tests and tools that must stay quiet. */
export const silentLogger: Logger = { log() {} };
