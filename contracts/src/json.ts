import { z } from 'zod/mini';

/** A JSON object (not an array, not null): the only body shape any route of Pulse Sync takes. */
export const JsonObject = z.record( z.string(), z.unknown() );
export type JsonObject = z.infer< typeof JsonObject >;

export type ParsedJson = { ok: true; value: unknown } | { ok: false };

/**
 * The one rule every side reads a body with: a body of nothing but whitespace is "no body"
 * (`value` undefined, e.g. a 204 after a write, or a POST without content); anything else must be
 * JSON. Each caller says what "no body" and "not JSON" mean for it (a 400, a retry, …).
 * @param text The body as text.
 */
export function parseJson( text: string ): ParsedJson {
	if ( text.trim() === '' ) {
		return { ok: true, value: undefined };
	}
	try {
		return { ok: true, value: JSON.parse( text ) as unknown };
	} catch {
		return { ok: false };
	}
}
